import type { Queryable } from '../store/database.js'
import type { RegisterName } from './register-records.js'
import type { RegisterChanges } from './write-registers.js'

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

export async function removeRecords(
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

export function splitKey(key: string): [string, string] {
  const tab = key.indexOf('\t')
  return [key.slice(0, tab), key.slice(tab + 1)]
}
