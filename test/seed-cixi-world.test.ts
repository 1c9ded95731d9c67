import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCixiWorld, type CixiWorld } from '../fixtures/cixi-world.js'
import { isWorldSeeded, seedCixiWorld } from '../server/seed/seed-cixi-world.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { storeBackends, type TestDatabase } from './support/store-backends.js'

let world: CixiWorld
beforeAll(async () => {
  world = await loadCixiWorld()
})

const countsOf = async (store: TestDatabase) =>
  Object.fromEntries(
    await Promise.all(
      [
        'towns',
        'stops',
        'schools',
        'buses',
        'staff',
        'guardians',
        'pupils',
        'pupil_guardians',
        'lines',
        'trips',
        'trip_stops',
        'trip_pupils',
      ].map(async (table) => [
        table,
        (await store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n,
      ]),
    ),
  )

describe.each(storeBackends())('seeding the Cixi world on $name', (backend) => {
  let store: TestDatabase
  beforeAll(async () => {
    store = await backend.open()
    await migrateDatabase(store.db)
  })
  afterAll(() => store?.dispose())

  it('loads every entity, and a second run changes nothing', async () => {
    expect(await isWorldSeeded(store.db)).toBe(false)
    const report = await seedCixiWorld(store.db, world)
    expect(report).toMatchObject({ buses: 36, towns: 8 })
    const first = await countsOf(store)
    expect(first).toMatchObject({
      towns: 8,
      buses: 36,
      staff: 108,
      schools: world.schools.length,
      pupils: world.pupils.length,
      guardians: world.guardians.length,
      trips: report.trips,
    })
    expect(await isWorldSeeded(store.db)).toBe(true)
    await seedCixiWorld(store.db, world)
    expect(await countsOf(store)).toEqual(first)
  })

  it('keeps each rider’s boarding and drop-off stop and each bus’s attendant', async () => {
    const trip = world.trips[0]!
    const firstStop = trip.stops[0]!
    const rider = firstStop.board[0]!
    const [row] = await store.db.query<{ board_seq: number; alight_seq: number }>(
      'SELECT board_seq, alight_seq FROM trip_pupils WHERE trip_id = $1 AND pupil_id = $2',
      [trip.id, rider],
    )
    expect(row?.board_seq).toBe(1)
    expect(row?.alight_seq).toBe(trip.stops.findIndex((s) => s.alight.includes(rider)) + 1)
    const attendants = await store.db.query<{ n: number }>(
      `SELECT count(DISTINCT bus_id)::int AS n FROM staff WHERE role = 'attendant'`,
    )
    expect(attendants[0]?.n).toBe(36)
  })
})
