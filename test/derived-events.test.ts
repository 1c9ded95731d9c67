import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LatLon } from '../geo/lat-lon.js'
import { createRoadAtPointIndex } from '../geo/roads/road-at-point.js'
import { buildRoadGraph } from '../geo/routing/road-graph.js'
import type { Clock } from '../server/core/clock/clock.js'
import { createLogger } from '../server/core/log/logger.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import type { DerivedEvent } from '../workers/events/derived-event.js'
import { createEventDeriver, type EventDeriver } from '../workers/events/event-deriver.js'
import type { LimiterRow, PositionRow } from '../server/core/broker/telemetry-rows.js'
import { loadTwoSchoolsTwoBuses } from './scenarios/two-schools-two-buses.js'
import { storeBackends, type TestDatabase } from './support/store-backends.js'

/** Trip T1's stops in the scenario: ST1 (07:00), ST2 (07:08), school S1 (07:20). */
const st1: LatLon = { lat: 30.18, lon: 121.39 }
const st2: LatLon = { lat: 30.185, lon: 121.395 }
const school: LatLon = { lat: 30.19, lon: 121.4 }
const between = (a: LatLon, b: LatLon, fraction: number): LatLon => ({
  lat: a.lat + (b.lat - a.lat) * fraction,
  lon: a.lon + (b.lon - a.lon) * fraction,
})

/** The road T1 drives: ST1 to ST2 an ordinary road, then a bridge, then on to the school. */
const roads = createRoadAtPointIndex(
  buildRoadGraph({
    source: 'test: the road of trip T1',
    ways: [
      [st1, st2, false],
      [st2, between(st2, school, 0.5), true],
      [between(st2, school, 0.5), school, false],
    ].map(([from, to, hazard], i) => ({
      id: `t1-${i}`,
      name: hazard ? '龙山桥' : '龙山路',
      roadClass: 'secondary' as const,
      coords: [from as LatLon, to as LatLon].map((p): [number, number] => [p.lon, p.lat]),
      speedKmh: 40,
      oneway: false,
      hazard: hazard as boolean,
    })),
  }),
)

const monday = (time: string) => new Date(`2026-03-02T${time}+08:00`)
const plusS = (at: Date, s: number) => new Date(at.getTime() + s * 1000)

const fix = (busId: string, ts: Date, place: LatLon, speedKmh: number): PositionRow => ({
  busId,
  ts,
  ...place,
  speedKmh,
  headingDeg: speedKmh > 0 ? 40 : null,
  altM: null,
  accuracyM: 5,
  ignition: true,
  seq: null,
})

const limiter = (ts: Date, state: LimiterRow['state']): LimiterRow => ({
  busId: 'B1',
  ts,
  limitKmh: 60,
  state,
})

/**
 * Bus B1 on trip T1: waits at ST1 from 06:59:30 for 40 s, drives to ST2 at 72 km/h (over the
 * 60 km/h school-bus limit) with its limiter disabled for a while, and stands at ST2.
 */
function tripT1(): PositionRow[] {
  const rows: PositionRow[] = []
  const wait = (place: LatLon, from: Date, seconds: number) => {
    for (let s = 0; s < seconds; s++) rows.push(fix('B1', plusS(from, s), place, 0))
  }
  wait(st1, monday('06:59:30'), 40)
  const driveS = 37
  for (let s = 1; s <= driveS; s++) {
    rows.push(
      fix('B1', plusS(monday('07:00:09'), s), between(st1, st2, s / driveS), s < driveS - 2 ? 72 : 30),
    )
  }
  wait(st2, monday('07:00:47'), 30)
  return rows
}

describe.each(storeBackends())('derived events on $name', (backend) => {
  let store: TestDatabase
  let now = monday('06:59:00')
  const clock: Clock = { now: () => now }
  const published: DerivedEvent[] = []
  let deriver: EventDeriver

  beforeAll(async () => {
    store = await backend.open()
    await migrateDatabase(store.db)
    await loadTwoSchoolsTwoBuses(store.db)
    deriver = createEventDeriver({
      db: store.db,
      roads,
      clock,
      log: createLogger({ level: 'silent' }),
      publish: (event) => published.push(event),
    })
  })
  afterAll(() => store?.dispose())

  const storedEvents = () =>
    store.db.query<{
      bus_id: string
      kind: string
      ts: Date
      trip_id: string | null
      details: Record<string, unknown>
    }>(`SELECT bus_id, kind, ts, trip_id, details FROM events ORDER BY ts, kind, bus_id`)

  it('writes each event once, at its start, and updates it when its episode ends', async () => {
    const rows = tripT1()
    const firstBatch = {
      positions: rows.filter((row) => row.ts < monday('07:00:30')),
      limiterStates: [limiter(monday('07:00:20'), 'disabled')],
    }
    now = monday('07:00:30')
    await deriver.consume(firstBatch)
    expect((await storedEvents()).map((e) => [e.kind, e.ts, e.details.endTs ?? null])).toEqual([
      ['stop_arrival', monday('06:59:30'), null],
      ['over_speed', monday('07:00:10'), null],
      ['stop_departure', monday('07:00:13'), null],
      ['limiter_disabled', monday('07:00:20'), null],
    ])
    await store.db.exec(
      `UPDATE events SET acknowledged_by = 'bureau-1', acknowledged_at = now() WHERE kind = 'over_speed'`,
    )

    now = monday('07:01:20')
    await deriver.consume({
      positions: rows.filter((row) => row.ts >= monday('07:00:30')).reverse(),
      limiterStates: [limiter(monday('07:00:40'), 'active')],
    })
    const stored = await storedEvents()
    expect(stored.map((e) => [e.kind, e.ts, e.trip_id])).toEqual([
      ['stop_arrival', monday('06:59:30'), 'T1'],
      ['over_speed', monday('07:00:10'), 'T1'],
      ['stop_departure', monday('07:00:13'), 'T1'],
      ['limiter_disabled', monday('07:00:20'), 'T1'],
      ['stop_arrival', monday('07:00:44'), 'T1'],
    ])
    expect(stored[1]!.details).toMatchObject({
      peakKmh: 72,
      limitKmh: 60,
      limitReason: 'other_road',
      roadClass: 'secondary',
      roadName: '龙山路',
      endTs: monday('07:00:43').toISOString(),
      durationS: 33,
    })
    expect(stored[3]!.details).toMatchObject({ state: 'disabled', endTs: monday('07:00:40').toISOString() })
    expect(stored[4]!.details).toMatchObject({ stopId: 'ST2', seq: 2 })
    const [acknowledged] = await store.db.query(
      `SELECT acknowledged_by FROM events WHERE kind = 'over_speed'`,
    )
    expect(acknowledged).toEqual({ acknowledged_by: 'bureau-1' })

    expect(published.map((e) => `${e.kind} ${e.ts.toISOString()}`)).toEqual([
      `stop_arrival ${monday('06:59:30').toISOString()}`,
      `over_speed ${monday('07:00:10').toISOString()}`,
      `stop_departure ${monday('07:00:13').toISOString()}`,
      `limiter_disabled ${monday('07:00:20').toISOString()}`,
      `over_speed ${monday('07:00:10').toISOString()}`,
      `limiter_disabled ${monday('07:00:20').toISOString()}`,
      `stop_arrival ${monday('07:00:44').toISOString()}`,
    ])
  })

  it('treats a redelivered batch as a no-op: no row changes, nothing published', async () => {
    const before = await storedEvents()
    const publishedBefore = published.length
    await deriver.consume({ positions: tripT1(), limiterStates: [limiter(monday('07:00:20'), 'disabled')] })
    expect(await storedEvents()).toEqual(before)
    expect(published).toHaveLength(publishedBefore)
  })

  it('raises terminal silences from the clock while trips run, and ends one when its bus reports', async () => {
    // Both buses last reported at 07:09:00 (the scenario's stored positions).
    now = monday('07:11:00')
    await deriver.tick()
    expect((await storedEvents()).filter((e) => e.kind === 'terminal_silent')).toEqual([])

    now = monday('07:11:01')
    await deriver.tick()
    await deriver.tick()
    const silences = (await storedEvents()).filter((e) => e.kind === 'terminal_silent')
    expect(silences.map((e) => [e.bus_id, e.ts, e.trip_id])).toEqual([
      ['B1', monday('07:09:00'), 'T1'],
      ['B2', monday('07:09:00'), 'T2'],
    ])

    now = monday('07:12:05')
    await deriver.consume({ positions: [fix('B2', monday('07:12:00'), st2, 20)], limiterStates: [] })
    const [b2] = (await storedEvents()).filter((e) => e.kind === 'terminal_silent' && e.bus_id === 'B2')
    expect(b2!.details).toMatchObject({
      lastReportTs: monday('07:09:00').toISOString(),
      endTs: monday('07:12:00').toISOString(),
      silentS: 180,
    })
    expect(published.filter((e) => e.kind === 'terminal_silent')).toHaveLength(3)
  })

  it('raises no silence outside the trips’ running windows', async () => {
    const before = (await storedEvents()).length
    now = monday('09:30:00')
    await deriver.tick()
    expect(await storedEvents()).toHaveLength(before)
  })

  it('keeps the events the store refused and stores them once it takes them again', async () => {
    await store.db.exec(`ALTER TABLE events RENAME TO events_away`)
    now = monday('07:20:00')
    await deriver.consume({
      positions: Array.from({ length: 20 }, (_, s) => fix('B1', plusS(monday('07:19:40'), s), school, 0)),
      limiterStates: [],
    })
    const publishedBefore = published.length
    await store.db.exec(`ALTER TABLE events_away RENAME TO events`)
    expect((await storedEvents()).filter((e) => e.ts >= monday('07:19:00'))).toEqual([])

    await deriver.drain()
    const atSchool = (await storedEvents()).filter((e) => e.ts >= monday('07:19:00'))
    // The bus was last seen at ST2; its first fix at the school is the first one away from ST2.
    expect(atSchool.map((e) => [e.bus_id, e.kind, e.ts, e.details.stopId])).toEqual([
      ['B1', 'stop_departure', monday('07:19:40'), 'ST2'],
      ['B1', 'stop_arrival', monday('07:19:41'), 'ST-S1'],
    ])
    const [b1Silence] = (await storedEvents()).filter(
      (e) => e.kind === 'terminal_silent' && e.bus_id === 'B1',
    )
    expect(b1Silence!.details).toMatchObject({ endTs: monday('07:19:40').toISOString() })
    expect(published.slice(publishedBefore).map((e) => `${e.busId} ${e.kind}`)).toEqual([
      'B1 terminal_silent',
      'B1 stop_departure',
      'B1 stop_arrival',
    ])
  })
})
