import type { Queryable } from '../store/database.js'
import type { RegisterName, RegisterSet } from './register-records.js'
import { assignRides } from './assign-rides.js'
import { removeRecords, splitKey } from './remove-records.js'
import { freeTerminalNumbers, upsertBuses, upsertStaff } from './write-fleet.js'
import { upsertSchools, upsertStops, upsertTowns, writeSchedules } from './write-places.js'
import { upsertGuardians, upsertPupils } from './write-pupils.js'
import { upsertLines, upsertTripCalls, upsertTrips } from './write-service.js'

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

function tripsWithChangedCalls({ upserts, removals }: RegisterChanges): Set<string> {
  return new Set([
    ...(upserts.tripCalls ?? []).map((call) => call.tripCode),
    ...(removals.tripCalls ?? []).map((key) => splitKey(key)[0]),
  ])
}
