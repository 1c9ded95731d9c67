import type { Queryable } from '../store/database.js'
import type { RegisterSet } from './register-records.js'
import { jsonRows, upsertRows } from './store-upsert.js'

/** A removed bus's terminal may be fitted to a bus of the same import, whose upsert comes first. */
export async function freeTerminalNumbers(tx: Queryable, plates: readonly string[]): Promise<void> {
  if (plates.length === 0) return
  await tx.query('UPDATE buses SET terminal_no = NULL WHERE plate = ANY($1::text[])', [plates])
}

export async function upsertBuses(tx: Queryable, buses: RegisterSet['buses']): Promise<void> {
  await assertBusCodesKept(tx, buses)
  await upsertRows(
    tx,
    'buses',
    {
      id: 'text',
      plate: 'text',
      town_id: 'text',
      school_id: 'text',
      kind: 'text',
      seats: 'int',
      operator: 'text',
      depot_lat: 'float8',
      depot_lon: 'float8',
      terminal_no: 'text',
      permit_no: 'text',
      permit_valid_until: 'date',
      inspected_on: 'date',
      insurance_until: 'date',
    },
    ['id'],
    buses.map((b) => ({
      id: b.code,
      plate: b.plate,
      town_id: b.townCode,
      school_id: b.schoolCode,
      kind: b.kind,
      seats: b.seats,
      operator: b.operator,
      depot_lat: b.depotLat,
      depot_lon: b.depotLon,
      terminal_no: b.terminalNo,
      permit_no: b.permitNo,
      permit_valid_until: b.permitValidUntil,
      inspected_on: b.inspectedOn,
      insurance_until: b.insuranceUntil,
    })),
  )
}

/**
 * A bus's code is its id in telemetry, tokens and trips, so a stored plate cannot take a new code
 * (a new plate on a stored code is fine: the bus was re-registered).
 */
async function assertBusCodesKept(tx: Queryable, buses: RegisterSet['buses']): Promise<void> {
  if (buses.length === 0) return
  const [moved] = await tx.query<{ plate: string; id: string; code: string }>(
    `SELECT b.plate, b.id, r.code FROM buses b JOIN ${jsonRows({ plate: 'text', code: 'text' })}
       ON r.plate = b.plate WHERE r.code <> b.id LIMIT 1`,
    [JSON.stringify(buses.map(({ plate, code }) => ({ plate, code })))],
  )
  if (moved)
    throw new Error(
      `bus ${moved.plate} is stored with code ${moved.id}; its code cannot become ${moved.code}`,
    )
}

export async function upsertStaff(tx: Queryable, staff: RegisterSet['staff']): Promise<void> {
  const busIds = await busIdsOf(
    tx,
    staff.map((s) => s.busPlate),
  )
  await upsertRows(
    tx,
    'staff',
    {
      id: 'text',
      role: 'text',
      name: 'text',
      phone: 'text',
      bus_id: 'text',
      licence_class: 'text',
      licence_date: 'date',
      birth_date: 'date',
      reviewed_on: 'date',
      trained_on: 'date',
      unit: 'text',
    },
    ['id'],
    staff.map((s) => ({
      id: s.code,
      role: s.role,
      name: s.name,
      phone: s.phone,
      bus_id: busIdOf(busIds, s.busPlate),
      licence_class: s.licenceClass,
      licence_date: s.licenceDate,
      birth_date: s.birthDate,
      reviewed_on: s.reviewedOn,
      trained_on: s.trainedOn,
      unit: s.unit,
    })),
  )
}

/** The stored ids of the buses with these plates. */
export async function busIdsOf(
  tx: Queryable,
  plates: readonly (string | null)[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(plates.filter((plate) => plate !== null))]
  if (wanted.length === 0) return new Map()
  const rows = await tx.query<{ id: string; plate: string }>(
    'SELECT id, plate FROM buses WHERE plate = ANY($1::text[])',
    [wanted],
  )
  return new Map(rows.map((row) => [row.plate, row.id]))
}

export function busIdOf(busIds: Map<string, string>, plate: string | null): string | null {
  if (plate === null) return null
  const id = busIds.get(plate)
  if (id === undefined) throw new Error(`bus ${plate} is not in the store`)
  return id
}
