import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LatLon } from '../geo/lat-lon.js'
import { createRoadAtPointIndex } from '../geo/roads/road-at-point.js'
import { buildRoadGraph } from '../geo/routing/road-graph.js'
import type { LimiterRow, PositionRow } from '../server/core/broker/telemetry-rows.js'
import type { Clock } from '../server/core/clock/clock.js'
import { createLogger } from '../server/core/log/logger.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import type { DerivedEvent } from '../workers/events/derived-event.js'
import { eventsConsumer, type EventStream } from '../workers/events/start-event-stream.js'
import { writeTelemetryBatch, type BatchResult } from '../workers/ingest/write-telemetry-batch.js'
import { loadTwoSchoolsTwoBuses } from './scenarios/two-schools-two-buses.js'
import { storeBackends, type TestDatabase } from './support/store-backends.js'
import {
  startTestEventStream,
  testStreamSettings,
  waitUntilStreamed as waitUntilStreamedIn,
} from './support/test-event-stream.js'
import { waitFor } from './support/wait-for.js'

/** Trip T1's stops in the scenario: ST1 (07:00), ST2 (07:08), school S1 (07:20). */
const st1: LatLon = { lat: 30.18, lon: 121.39 }
const st2: LatLon = { lat: 30.185, lon: 121.395 }
const school: LatLon = { lat: 30.19, lon: 121.4 }
/** Trip T2's stops: ST2 (07:05), school S2's stop ST-S2 (07:25). */
const schoolS2: LatLon = { lat: 30.195, lon: 121.405 }
/** Where the scenario's stored position of bus B2 at 07:09:00 puts it. */
const b2At0709: LatLon = { lat: 30.187, lon: 121.397 }
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

/**
 * Short lease and poll settings; ticks run only when the test asks (stream.tick()), at the clock
 * the test has set. The stream reads only reports dated within its maxReportAgeMs (4 days) of the
 * injected clock, so the clock always stays on the morning the reports are dated.
 */
const streamSettings = testStreamSettings(4)

const failedHandling = 'handling a partition failed'

describe.each(storeBackends())('derived events on $name', (backend) => {
  let store: TestDatabase
  let now = monday('06:59:00')
  const clock: Clock = { now: () => now }
  const published: DerivedEvent[] = []
  const warnings: string[] = []
  const log = createLogger({ level: 'warn', write: (line) => warnings.push(line) })
  let stream: EventStream | undefined

  const start = async (member: string) => {
    stream = await startTestEventStream({
      db: store.db,
      roads,
      clock,
      log,
      member,
      publish: (event) => published.push(event),
      stream: streamSettings,
    })
  }

  const waitUntilStreamed = (xid: string) => waitUntilStreamedIn(store.db, xid)

  /** Stores reports as the ingest does (one transaction); answers its result and transaction id. */
  const storeReports = (batch: { positions: PositionRow[]; limiterStates: LimiterRow[] }) =>
    store.db.transaction(async (tx) => {
      const result = await writeTelemetryBatch(tx, { ...batch, deadLetters: [] }, now)
      const [row] = await tx.query<{ xid: string }>(`SELECT pg_current_xact_id()::text AS xid`)
      return { result, xid: row!.xid }
    })

  /** Stores reports as the ingest does and waits until the stream has handled them. */
  const ingest = async (batch: {
    positions: PositionRow[]
    limiterStates: LimiterRow[]
  }): Promise<{ result: BatchResult; xid: string }> => {
    const stored = await storeReports(batch)
    stream!.wake()
    await waitUntilStreamed(stored.xid)
    return stored
  }

  beforeAll(async () => {
    store = await backend.open()
    await migrateDatabase(store.db)
    await loadTwoSchoolsTwoBuses(store.db)
    // The scenario stores a position of each bus at 07:09:00, ahead of trip T1's reports below.
    // The stream replays stored reports as reports when it takes a partition, so B1's would come
    // before the trip and hide it: the buses report those positions at 07:09, through the ingest,
    // when the silence test needs them.
    await store.db.exec(`DELETE FROM positions`)
    await start('events-1')
  })
  afterAll(async () => {
    await Promise.race([stream?.stop(), new Promise((resolve) => setTimeout(resolve, 2000))])
    await store?.dispose()
  })

  const storedEvents = (table = 'events') =>
    store.db.query<{
      bus_id: string
      kind: string
      ts: Date
      trip_id: string | null
      details: Record<string, unknown>
    }>(`SELECT bus_id, kind, ts, trip_id, details FROM ${table} ORDER BY ts, kind, bus_id`)

  /** The transaction that stored the first of trip T1's reports. */
  let firstXid = ''

  it('writes each event once, at its start, and updates it when its episode ends', async () => {
    const rows = tripT1()
    const firstBatch = {
      positions: rows.filter((row) => row.ts < monday('07:00:30')),
      limiterStates: [limiter(monday('07:00:20'), 'disabled')],
    }
    now = monday('07:00:30')
    firstXid = (await ingest(firstBatch)).xid
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
    await ingest({
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

    // As the stream hands each committed transaction of B1's partition over as one batch, and
    // publishes a batch's new or changed events in time order, the order is the one the in-process
    // deriver had.
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

    // The same reports stored again: the ingest's ON CONFLICT stores no second row, so the stream
    // has nothing new to read.
    const batch = { positions: tripT1(), limiterStates: [limiter(monday('07:00:20'), 'disabled')] }
    const { result } = await ingest(batch)
    expect(result.duplicates).toBe(batch.positions.length + batch.limiterStates.length)
    expect(await storedEvents()).toEqual(before)
    expect(published).toHaveLength(publishedBefore)

    // The same rows read again: a new holder of the partitions starting from a checkpoint stored
    // before them (at-least-once delivery) derives the events the store already holds as they are.
    await stream!.stop()
    await store.db.query(`UPDATE stream_leases SET checkpoint = $2::text::xid8 WHERE consumer = $1`, [
      eventsConsumer,
      firstXid,
    ])
    await start('events-2')
    const [{ xid }] = await store.db.query<{ xid: string }>(`SELECT pg_current_xact_id()::text AS xid`)
    await waitUntilStreamed(xid)
    expect(await storedEvents()).toEqual(before)
    expect(published).toHaveLength(publishedBefore)
  })

  it('raises terminal silences from the clock while trips run, and ends one when its bus reports', async () => {
    // Both buses last report at 07:09:00 (the scenario's stored positions; B1 still at ST2).
    now = monday('07:09:00')
    await ingest({
      positions: [fix('B1', now, st2, 0), fix('B2', now, b2At0709, 30)],
      limiterStates: [],
    })
    now = monday('07:11:00')
    await stream!.tick()
    expect((await storedEvents()).filter((e) => e.kind === 'terminal_silent')).toEqual([])

    now = monday('07:11:01')
    await stream!.tick()
    await stream!.tick()
    const silences = (await storedEvents()).filter((e) => e.kind === 'terminal_silent')
    expect(silences.map((e) => [e.bus_id, e.ts, e.trip_id])).toEqual([
      ['B1', monday('07:09:00'), 'T1'],
      ['B2', monday('07:09:00'), 'T2'],
    ])

    now = monday('07:12:05')
    await ingest({ positions: [fix('B2', monday('07:12:00'), st2, 20)], limiterStates: [] })
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
    await stream!.tick()
    expect(await storedEvents()).toHaveLength(before)
  })

  it('keeps the events the store refused and stores them once it takes them again', async () => {
    await store.db.exec(`ALTER TABLE events RENAME TO events_away`)
    now = monday('07:20:00')
    const publishedBefore = published.length
    const failuresBefore = warnings.filter((line) => line.includes(failedHandling)).length
    const { xid } = await storeReports({
      positions: Array.from({ length: 20 }, (_, s) => fix('B1', plusS(monday('07:19:40'), s), school, 0)),
      limiterStates: [],
    })
    stream!.wake()
    // The stream has derived the batch's events and the store refused them.
    await waitFor(
      () => Promise.resolve(warnings.filter((line) => line.includes(failedHandling)).length),
      (failures) => failures > failuresBefore,
      'the stream has tried to store the events',
    )
    expect((await storedEvents('events_away')).filter((e) => e.ts >= monday('07:19:00'))).toEqual([])
    expect(published).toHaveLength(publishedBefore)
    await store.db.exec(`ALTER TABLE events_away RENAME TO events`)

    await waitUntilStreamed(xid)
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

  it('raises one late trip when a bus reaches a call 12 minutes late, and opens its alarm case', async () => {
    // B2 passed ST2 at 07:12 without stopping (the silence test) and reaches its school at 07:37,
    // 12 minutes after trip T2's 07:25.
    const publishedBefore = published.length
    const atSchool = (from: string) =>
      Array.from({ length: 20 }, (_, s) => fix('B2', plusS(monday(from), s), schoolS2, 0))
    now = monday('07:37:30')
    const { xid: lateXid } = await ingest({
      positions: [
        fix('B2', monday('07:36:00'), between(st2, schoolS2, 0.5), 30),
        fix('B2', monday('07:36:30'), between(st2, schoolS2, 0.8), 30),
        ...atSchool('07:37:00'),
      ],
      limiterStates: [],
    })
    const late = (await storedEvents()).filter((e) => e.kind === 'trip_late')
    expect(late.map((e) => [e.bus_id, e.ts, e.trip_id])).toEqual([['B2', monday('07:37:00'), 'T2']])
    expect(late[0]!.details).toEqual({
      stopId: 'ST-S2',
      stopName: '龙山中学',
      seq: 2,
      school: true,
      plannedTs: monday('07:25:00').toISOString(),
      arrivedTs: monday('07:37:00').toISOString(),
      lateMin: 12,
    })
    const [arrival] = (await storedEvents()).filter(
      (e) => e.kind === 'stop_arrival' && e.bus_id === 'B2' && e.details.stopId === 'ST-S2',
    )
    expect(arrival!.ts).toEqual(late[0]!.ts)
    expect(
      await store.db.query(
        `SELECT kind, event_ts, severity, school_ids, state FROM alarm_cases WHERE kind = 'trip_late'`,
      ),
    ).toEqual([
      {
        kind: 'trip_late',
        event_ts: monday('07:37:00'),
        severity: 'major',
        school_ids: ['S2'],
        state: 'open',
      },
    ])

    // The bus standing on at its school raises nothing more.
    now = monday('07:38:30')
    await ingest({ positions: atSchool('07:38:00'), limiterStates: [] })
    expect((await storedEvents()).filter((e) => e.kind === 'trip_late')).toHaveLength(1)
    expect(published.slice(publishedBefore).filter((e) => e.kind === 'trip_late')).toHaveLength(1)

    // A new holder of the partitions re-reads the arrival after warming on the trip before it: the
    // same event, under the same key, changes nothing and is not published again.
    const stored = await storedEvents()
    const publishedNow = published.length
    await stream!.stop()
    await store.db.query(`UPDATE stream_leases SET checkpoint = $2::text::xid8 WHERE consumer = $1`, [
      eventsConsumer,
      lateXid,
    ])
    await start('events-3')
    const [{ xid }] = await store.db.query<{ xid: string }>(`SELECT pg_current_xact_id()::text AS xid`)
    await waitUntilStreamed(xid)
    expect(await storedEvents()).toEqual(stored)
    expect(published).toHaveLength(publishedNow)
  })
})
