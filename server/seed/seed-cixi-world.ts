import type { CixiWorld, TripStop } from '../../fixtures/cixi-world.js'
import type { Database, Queryable } from '../core/store/database.js'
import { upsertRows } from './upsert-rows.js'

export interface SeedReport {
  towns: number
  schools: number
  stops: number
  buses: number
  staff: number
  pupils: number
  guardians: number
  lines: number
  trips: number
}

/**
 * Loads the fixture world into the store in one transaction. Safe to run again: rows are updated
 * in place, and each seeded trip's stops and riders and each seeded pupil's guardians are replaced.
 * Nothing the world does not name is deleted, since telemetry and boarding records may refer to it.
 */
export async function seedCixiWorld(db: Database, world: CixiWorld): Promise<SeedReport> {
  await db.transaction((tx) => writeWorld(tx, world))
  const runs = world.lines.flatMap((line) => line.runs)
  return {
    towns: world.towns.length + 1,
    schools: world.schools.length,
    stops: world.stops.length,
    buses: world.buses.length,
    staff: world.staff.length,
    pupils: world.pupils.length,
    guardians: world.guardians.length,
    lines: world.lines.length,
    trips: world.trips.length + runs.length,
  }
}

/** The store is empty of reference data: `npm start` seeds it then. */
export async function isWorldSeeded(db: Queryable): Promise<boolean> {
  return (await db.query('SELECT 1 FROM buses LIMIT 1')).length > 0
}

async function writeWorld(tx: Queryable, world: CixiWorld): Promise<void> {
  await upsertRows(
    tx,
    'towns',
    { id: 'text', kind: 'text', name_zh: 'text', name_en: 'text', lat: 'float8', lon: 'float8' },
    ['id'],
    [world.city, ...world.towns].map((a) => ({
      id: a.id,
      kind: a.kind,
      name_zh: a.name,
      name_en: a.nameEn,
      lat: a.centre.lat,
      lon: a.centre.lon,
    })),
  )
  await upsertRows(
    tx,
    'stops',
    { id: 'text', town_id: 'text', kind: 'text', name_zh: 'text', lat: 'float8', lon: 'float8' },
    ['id'],
    world.stops.map((s) => ({
      id: s.id,
      town_id: s.areaId,
      kind: s.kind,
      name_zh: s.name,
      lat: s.location.lat,
      lon: s.location.lon,
    })),
  )
  await upsertRows(
    tx,
    'schools',
    {
      id: 'text',
      town_id: 'text',
      name_zh: 'text',
      kind: 'text',
      lat: 'float8',
      lon: 'float8',
      gate_stop_id: 'text',
      schedule: 'jsonb',
    },
    ['id'],
    world.schools.map((s) => ({
      id: s.id,
      town_id: s.areaId,
      name_zh: s.name,
      kind: s.kind,
      lat: s.location.lat,
      lon: s.location.lon,
      gate_stop_id: s.gateStopId,
      schedule: { grades: s.grades, dismissalWaves: s.dismissalWaves },
    })),
  )
  const gate = new Map(world.schools.map((s) => [s.id, s.location]))
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
    },
    ['id'],
    // A contracted school bus is kept at its school between runs.
    world.buses.map((b) => ({
      id: b.id,
      plate: b.plate,
      town_id: b.townId,
      school_id: b.schoolId,
      kind: 'school_bus',
      seats: b.seats,
      operator: b.operator,
      depot_lat: gate.get(b.schoolId)?.lat ?? null,
      depot_lon: gate.get(b.schoolId)?.lon ?? null,
    })),
  )
  await upsertRows(
    tx,
    'staff',
    { id: 'text', role: 'text', name: 'text', phone: 'text', bus_id: 'text', details: 'jsonb' },
    ['id'],
    world.staff.map(({ id, role, name, phone, busId, ...details }) => ({
      id,
      role,
      name,
      phone,
      bus_id: busId,
      details,
    })),
  )
  await upsertRows(
    tx,
    'guardians',
    { id: 'text', name: 'text', phone: 'text' },
    ['id'],
    world.guardians.map((g) => ({ id: g.id, name: g.name, phone: g.phone })),
  )
  await upsertRows(
    tx,
    'pupils',
    {
      id: 'text',
      code: 'text',
      name: 'text',
      school_id: 'text',
      grade: 'int',
      settlement_id: 'text',
      dismissal_wave_id: 'text',
      after_school_service: 'boolean',
      home_lat: 'float8',
      home_lon: 'float8',
    },
    ['id'],
    world.pupils.map((p) => ({
      id: p.id,
      code: p.code,
      name: p.name,
      school_id: p.schoolId,
      grade: p.grade,
      settlement_id: p.settlementId,
      dismissal_wave_id: p.dismissalWaveId,
      after_school_service: p.afterSchoolService,
      home_lat: p.home.lat,
      home_lon: p.home.lon,
    })),
  )
  const relation = new Map(world.guardians.map((g) => [g.id, g.relation]))
  await tx.query('DELETE FROM pupil_guardians WHERE pupil_id = ANY($1::text[])', [
    world.pupils.map((p) => p.id),
  ])
  await upsertRows(
    tx,
    'pupil_guardians',
    { pupil_id: 'text', guardian_id: 'text', relation: 'text' },
    ['pupil_id', 'guardian_id'],
    world.pupils.flatMap((p) =>
      p.guardianIds.map((guardianId) => ({
        pupil_id: p.id,
        guardian_id: guardianId,
        relation: relation.get(guardianId),
      })),
    ),
  )
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
    world.lines.map((l) => ({
      id: l.id,
      name: l.name,
      kind: l.kind,
      operator: l.operator,
      seats: l.busType.seats,
      school_ids: l.schoolIds,
      stop_ids: l.stopIds,
    })),
  )

  const trips = [
    ...world.trips.map((t) => ({ ...t, lineId: null as string | null })),
    ...world.lines.flatMap((l) => l.runs.map((r) => ({ ...r, busId: null as string | null, lineId: l.id }))),
  ]
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
      distance_m: 'float8',
      duration_s: 'int',
    },
    ['id'],
    trips.map((t) => ({
      id: t.id,
      bus_id: t.busId,
      line_id: t.lineId,
      school_id: t.schoolId,
      direction: t.direction,
      dismissal_wave_id: t.waveId,
      distance_m: t.distanceM,
      duration_s: t.durationS,
    })),
  )
  const tripIds = trips.map((t) => t.id)
  await tx.query('DELETE FROM trip_stops WHERE trip_id = ANY($1::text[])', [tripIds])
  await tx.query('DELETE FROM trip_pupils WHERE trip_id = ANY($1::text[])', [tripIds])
  await upsertRows(
    tx,
    'trip_stops',
    { trip_id: 'text', seq: 'int', stop_id: 'text', arrive_time: 'time', depart_time: 'time' },
    ['trip_id', 'seq'],
    trips.flatMap((t) =>
      t.stops.map((s, i) => ({
        trip_id: t.id,
        seq: i + 1,
        stop_id: s.stopId,
        arrive_time: s.arrive,
        depart_time: s.depart,
      })),
    ),
  )
  await upsertRows(
    tx,
    'trip_pupils',
    { trip_id: 'text', pupil_id: 'text', board_seq: 'int', alight_seq: 'int' },
    ['trip_id', 'pupil_id'],
    trips.flatMap((t) => ridersOf(t.id, t.stops)),
  )
}

/** Each rider with the stop (1-based) they board at and the one they get off at. */
function ridersOf(tripId: string, stops: readonly TripStop[]) {
  const boardSeq = new Map<string, number>()
  stops.forEach((stop, i) => stop.board.forEach((pupilId) => boardSeq.set(pupilId, i + 1)))
  return stops.flatMap((stop, i) =>
    stop.alight.map((pupilId) => {
      const board = boardSeq.get(pupilId)
      if (board === undefined) throw new Error(`trip ${tripId}: pupil ${pupilId} gets off without boarding`)
      return { trip_id: tripId, pupil_id: pupilId, board_seq: board, alight_seq: i + 1 }
    }),
  )
}
