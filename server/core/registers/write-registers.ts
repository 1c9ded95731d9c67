import type { Queryable } from '../store/database.js'
import type {
  BellTimeRecord,
  DismissalWaveRecord,
  GuardianRecord,
  PupilRecord,
  RegisterName,
  RegisterSet,
} from './register-records.js'
import { assignRides } from './assign-rides.js'
import { chunksOf, insertResolved, jsonRows, upsertRows } from './store-upsert.js'
import { pupilIdOf } from './trip-riders.js'

/** What an import changes: records to insert or update, and natural keys (registerKeys) to remove. */
export interface RegisterChanges {
  upserts: Partial<RegisterSet>
  removals: { [R in RegisterName]?: string[] }
}

/**
 * Writes register changes into the store inside the caller's transaction. Upserts run in the order
 * references run, stops before schools since a school names its gate stop. Removals that only free
 * a key (guardians, pupils, trip calls) run first; the others run last, in reverse order, once the
 * upserts have moved what pointed at them elsewhere. Bell times and waves are entries of their
 * school's schedule. A removal that stored records still need (a pupil with boarding records, say)
 * fails on its foreign key, and the transaction with it.
 *
 * Each pupil's rides are derived from its stop and trips, and re-derived for the riders of every
 * trip whose calls changed, since the calls they board and leave at may have moved.
 */
export async function writeRegisters(tx: Queryable, changes: RegisterChanges): Promise<void> {
  const { upserts, removals } = changes
  await removeRecords(tx, removals, ['guardians', 'pupils', 'tripCalls'])
  await freeTerminalNumbers(tx, removals.buses ?? [])
  await upsertTowns(tx, upserts.towns ?? [])
  await upsertStops(tx, upserts.stops ?? [])
  await upsertSchools(tx, upserts.schools ?? [])
  await writeSchedules(tx, upserts, removals)
  await upsertBuses(tx, upserts.buses ?? [])
  await upsertStaff(tx, upserts.staff ?? [])
  await upsertLines(tx, upserts.lines ?? [])
  await upsertTrips(tx, upserts.trips ?? [])
  await upsertTripCalls(tx, upserts.tripCalls ?? [])
  await upsertPupils(tx, upserts.pupils ?? [])
  await upsertGuardians(tx, upserts.guardians ?? [])
  await removeRecords(tx, removals, ['trips', 'lines', 'staff', 'buses', 'schools', 'stops', 'towns'])
  await assignRides(tx, upserts.pupils ?? [], tripsWithChangedCalls(changes))
}

type RemoveRecords = (tx: Queryable, keys: readonly string[]) => Promise<void>

/** Deletes the rows whose `column` holds one of the keys. */
function deleteByKey(table: string, column: string): RemoveRecords {
  const sql = `DELETE FROM ${table} t USING unnest($1::text[]) AS k(key) WHERE t.${column} = k.key`
  return async (tx, keys) => {
    await tx.query(sql, [keys])
  }
}

/** Bell times and waves are no rows of their own: writeSchedules takes them out of their school. */
const removers: { [R in Exclude<RegisterName, 'bellTimes' | 'dismissalWaves'>]: RemoveRecords } = {
  towns: deleteByKey('towns', 'id'),
  schools: deleteByKey('schools', 'id'),
  stops: deleteByKey('stops', 'id'),
  buses: deleteByKey('buses', 'plate'),
  staff: deleteByKey('staff', 'id'),
  lines: deleteByKey('lines', 'id'),
  trips: deleteByKey('trips', 'id'),
  tripCalls: removeTripCalls,
  pupils: deleteByKey('pupils', 'code'),
  guardians: deleteByKey('guardians', 'phone'),
}

async function removeRecords(
  tx: Queryable,
  removals: RegisterChanges['removals'],
  registers: ReadonlyArray<keyof typeof removers>,
): Promise<void> {
  for (const register of registers) {
    const keys = removals[register] ?? []
    if (keys.length > 0) await removers[register](tx, keys)
  }
}

async function removeTripCalls(tx: Queryable, keys: readonly string[]): Promise<void> {
  const calls = keys.map(splitKey)
  await tx.query(
    `DELETE FROM trip_stops t USING unnest($1::text[], $2::int[]) AS k(trip_id, seq)
      WHERE t.trip_id = k.trip_id AND t.seq = k.seq`,
    [calls.map(([trip]) => trip), calls.map(([, seq]) => Number(seq))],
  )
}

/** A removed bus's terminal may be fitted to a bus of the same import, whose upsert comes first. */
async function freeTerminalNumbers(tx: Queryable, plates: readonly string[]): Promise<void> {
  if (plates.length === 0) return
  await tx.query('UPDATE buses SET terminal_no = NULL WHERE plate = ANY($1::text[])', [plates])
}

async function upsertTowns(tx: Queryable, towns: RegisterSet['towns']): Promise<void> {
  await upsertRows(
    tx,
    'towns',
    { id: 'text', kind: 'text', name_zh: 'text', name_en: 'text', lat: 'float8', lon: 'float8' },
    ['id'],
    towns.map((t) => ({
      id: t.code,
      kind: t.kind,
      name_zh: t.nameZh,
      name_en: t.nameEn,
      lat: t.lat,
      lon: t.lon,
    })),
  )
}

async function upsertStops(tx: Queryable, stops: RegisterSet['stops']): Promise<void> {
  await upsertRows(
    tx,
    'stops',
    { id: 'text', town_id: 'text', kind: 'text', name_zh: 'text', lat: 'float8', lon: 'float8' },
    ['id'],
    stops.map((s) => ({
      id: s.code,
      town_id: s.townCode,
      kind: s.kind,
      name_zh: s.nameZh,
      lat: s.lat,
      lon: s.lon,
    })),
  )
}

/** The schedule (bell times and waves) is left alone here: writeSchedules keeps it. */
async function upsertSchools(tx: Queryable, schools: RegisterSet['schools']): Promise<void> {
  await upsertRows(
    tx,
    'schools',
    {
      id: 'text',
      town_id: 'text',
      name_zh: 'text',
      name_en: 'text',
      kind: 'text',
      lat: 'float8',
      lon: 'float8',
      gate_stop_id: 'text',
    },
    ['id'],
    schools.map((s) => ({
      id: s.code,
      town_id: s.townCode,
      name_zh: s.nameZh,
      name_en: s.nameEn,
      kind: s.kind,
      lat: s.lat,
      lon: s.lon,
      gate_stop_id: s.gateStopCode,
    })),
  )
}

/** A school's bell times and dismissal waves as schools.schedule keeps them. */
interface Schedule {
  grades: Array<{ grade: number; startTime: string }>
  dismissalWaves: Array<{
    id: string
    name: string
    time: string
    grades: number[]
    afterSchoolService: boolean
  }>
}

/**
 * Bell times and waves live in their school's schedule: each upserted entry replaces the entry of
 * the same key (a grade, a wave code) or is added, each removed one is taken out, and the other
 * entries stay as stored. A wave moved to another school leaves its old one.
 */
async function writeSchedules(
  tx: Queryable,
  upserts: Partial<RegisterSet>,
  removals: RegisterChanges['removals'],
): Promise<void> {
  const bellTimes = upserts.bellTimes ?? []
  const waves = upserts.dismissalWaves ?? []
  const removedGrades = new Set(removals.bellTimes ?? [])
  const removedWaves = new Set([...(removals.dismissalWaves ?? []), ...waves.map((w) => w.code)])
  if (bellTimes.length + removedGrades.size + removedWaves.size === 0) return

  const schedules = await readSchedules(tx)
  for (const [school, schedule] of schedules) {
    schedule.grades = schedule.grades.filter((g) => !removedGrades.has(`${school}\t${g.grade}`))
    schedule.dismissalWaves = schedule.dismissalWaves.filter((w) => !removedWaves.has(w.id))
  }
  for (const bell of bellTimes) setBellTime(scheduleOf(schedules, bell.schoolCode), bell)
  for (const wave of waves) addWave(scheduleOf(schedules, wave.schoolCode), wave)
  await tx.query(
    `UPDATE schools s SET schedule = r.schedule
       FROM ${jsonRows({ id: 'text', schedule: 'jsonb' })}
      WHERE s.id = r.id AND s.schedule IS DISTINCT FROM r.schedule`,
    [JSON.stringify([...schedules].map(([id, schedule]) => ({ id, schedule })))],
  )
}

/** Every school's schedule: a county has a few hundred schools. */
async function readSchedules(tx: Queryable): Promise<Map<string, Schedule>> {
  const rows = await tx.query<{ id: string; schedule: Partial<Schedule> }>('SELECT id, schedule FROM schools')
  return new Map(
    rows.map(({ id, schedule }) => [
      id,
      { ...schedule, grades: schedule.grades ?? [], dismissalWaves: schedule.dismissalWaves ?? [] },
    ]),
  )
}

function scheduleOf(schedules: Map<string, Schedule>, schoolCode: string): Schedule {
  const schedule = schedules.get(schoolCode)
  if (!schedule) throw new Error(`school ${schoolCode} is not in the store`)
  return schedule
}

function setBellTime(schedule: Schedule, bell: BellTimeRecord): void {
  const entry = { grade: bell.grade, startTime: bell.startTime }
  schedule.grades = [...schedule.grades.filter((g) => g.grade !== bell.grade), entry].sort(
    (a, b) => a.grade - b.grade,
  )
}

/** Waves were taken out by code before, so an updated wave goes to the end. */
function addWave(schedule: Schedule, wave: DismissalWaveRecord): void {
  const { code, name, time, grades, afterSchoolService } = wave
  schedule.dismissalWaves.push({ id: code, name, time, grades, afterSchoolService })
}

async function upsertBuses(tx: Queryable, buses: RegisterSet['buses']): Promise<void> {
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

async function upsertStaff(tx: Queryable, staff: RegisterSet['staff']): Promise<void> {
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

async function upsertLines(tx: Queryable, lines: RegisterSet['lines']): Promise<void> {
  await upsertRows(
    tx,
    'lines',
    {
      id: 'text',
      name: 'text',
      kind: 'text',
      operator: 'text',
      seats: 'int',
      school_ids: 'text[]',
      stop_ids: 'text[]',
    },
    ['id'],
    lines.map((l) => ({
      id: l.code,
      name: l.name,
      kind: l.kind,
      operator: l.operator,
      seats: l.seats,
      school_ids: l.schoolCodes,
      stop_ids: l.stopCodes,
    })),
  )
}

async function upsertTrips(tx: Queryable, trips: RegisterSet['trips']): Promise<void> {
  const busIds = await busIdsOf(
    tx,
    trips.map((t) => t.busPlate),
  )
  await upsertRows(
    tx,
    'trips',
    {
      id: 'text',
      bus_id: 'text',
      line_id: 'text',
      school_id: 'text',
      direction: 'text',
      dismissal_wave_id: 'text',
      weekdays: 'int[]',
      distance_m: 'float8',
      duration_s: 'int',
    },
    ['id'],
    trips.map((t) => ({
      id: t.code,
      bus_id: busIdOf(busIds, t.busPlate),
      line_id: t.lineCode,
      school_id: t.schoolCode,
      direction: t.direction,
      dismissal_wave_id: t.waveCode,
      weekdays: t.weekdays,
      distance_m: t.distanceM,
      duration_s: t.durationS,
    })),
  )
}

/** The stored ids of the buses with these plates. */
async function busIdsOf(tx: Queryable, plates: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(plates.filter((plate) => plate !== null))]
  if (wanted.length === 0) return new Map()
  const rows = await tx.query<{ id: string; plate: string }>(
    'SELECT id, plate FROM buses WHERE plate = ANY($1::text[])',
    [wanted],
  )
  return new Map(rows.map((row) => [row.plate, row.id]))
}

function busIdOf(busIds: Map<string, string>, plate: string | null): string | null {
  if (plate === null) return null
  const id = busIds.get(plate)
  if (id === undefined) throw new Error(`bus ${plate} is not in the store`)
  return id
}

async function upsertTripCalls(tx: Queryable, calls: RegisterSet['tripCalls']): Promise<void> {
  await upsertRows(
    tx,
    'trip_stops',
    { trip_id: 'text', seq: 'int', stop_id: 'text', arrive_time: 'time', depart_time: 'time' },
    ['trip_id', 'seq'],
    calls.map((c) => ({
      trip_id: c.tripCode,
      seq: c.seq,
      stop_id: c.stopCode,
      arrive_time: c.arrive,
      depart_time: c.depart,
    })),
  )
}

/** A pupil found by code keeps its stored id; a new one takes the given id or one made from the code. */
async function upsertPupils(tx: Queryable, pupils: readonly PupilRecord[]): Promise<void> {
  await upsertRows(
    tx,
    'pupils',
    {
      id: 'text',
      code: 'text',
      name: 'text',
      school_id: 'text',
      grade: 'int',
      dismissal_wave_id: 'text',
      after_school_service: 'boolean',
      home_lat: 'float8',
      home_lon: 'float8',
      stop_id: 'text',
    },
    ['code'],
    pupils.map((p) => ({
      id: pupilIdOf(p),
      code: p.code,
      name: p.name,
      school_id: p.schoolCode,
      grade: p.grade,
      dismissal_wave_id: p.waveCode,
      after_school_service: p.afterSchoolService,
      home_lat: p.homeLat,
      home_lon: p.homeLon,
      stop_id: p.stopCode,
    })),
    { keep: ['id'] },
  )
}

/**
 * A guardian found by phone keeps its stored id; a new one takes the given id or one made from the
 * phone. Its links to pupils are replaced by those of the record, each with the record's relation.
 */
async function upsertGuardians(tx: Queryable, guardians: readonly GuardianRecord[]): Promise<void> {
  if (guardians.length === 0) return
  await upsertRows(
    tx,
    'guardians',
    { id: 'text', name: 'text', phone: 'text' },
    ['phone'],
    guardians.map((g) => ({ id: g.id ?? `gu-${g.phone.replace(/\D/g, '')}`, name: g.name, phone: g.phone })),
    { keep: ['id'] },
  )
  for (const chunk of chunksOf(guardians)) {
    await tx.query(
      `DELETE FROM pupil_guardians l USING guardians g, unnest($1::text[]) AS k(phone)
        WHERE g.phone = k.phone AND l.guardian_id = g.id`,
      [chunk.map((g) => g.phone)],
    )
  }
  const links = guardians.flatMap((g) =>
    [...new Set(g.pupilCodes)].map((pupil_code) => ({ phone: g.phone, pupil_code, relation: g.relation })),
  )
  await insertResolved(
    tx,
    `INSERT INTO pupil_guardians (pupil_id, guardian_id, relation)
     SELECT p.id, g.id, r.relation FROM ${jsonRows({ phone: 'text', pupil_code: 'text', relation: 'text' })}
       JOIN guardians g ON g.phone = r.phone JOIN pupils p ON p.code = r.pupil_code`,
    links,
    'guardian links name pupils',
  )
}

function tripsWithChangedCalls({ upserts, removals }: RegisterChanges): Set<string> {
  return new Set([
    ...(upserts.tripCalls ?? []).map((call) => call.tripCode),
    ...(removals.tripCalls ?? []).map((key) => splitKey(key)[0]),
  ])
}

function splitKey(key: string): [string, string] {
  const tab = key.indexOf('\t')
  return [key.slice(0, tab), key.slice(tab + 1)]
}
