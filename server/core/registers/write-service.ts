import type { Queryable } from '../store/database.js'
import type { RegisterSet } from './register-records.js'
import { upsertRows } from './store-upsert.js'
import { busIdOf, busIdsOf } from './write-fleet.js'

export async function upsertLines(tx: Queryable, lines: RegisterSet['lines']): Promise<void> {
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

export async function upsertTrips(tx: Queryable, trips: RegisterSet['trips']): Promise<void> {
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

export async function upsertTripCalls(tx: Queryable, calls: RegisterSet['tripCalls']): Promise<void> {
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
