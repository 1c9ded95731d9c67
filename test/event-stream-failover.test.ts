import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRoadAtPointIndex } from '../geo/roads/road-at-point.js'
import { buildRoadGraph } from '../geo/routing/road-graph.js'
import type { CommittedBatch, LimiterRow, PositionRow } from '../server/core/broker/telemetry-rows.js'
import type { Clock } from '../server/core/clock/clock.js'
import { createLogger } from '../server/core/log/logger.js'
import { defaultEventRuleOptions } from '../server/core/schedule/event-rule-options.js'
import { createTripCalendar, groupScheduledTrips } from '../server/core/schedule/trip-calendar.js'
import type { Database } from '../server/core/store/database.js'
import { createDerivedEventQueries } from '../server/core/store/derived-event-queries.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { busPartitionSql } from '../server/core/stream/bus-partition.js'
import type { ReportStream } from '../server/core/stream/report-stream.js'
import { createBusEventRules } from '../workers/events/bus-event-rules.js'
import { eventKey, type DerivedEvent } from '../workers/events/derived-event.js'
import { startEventStream } from '../workers/events/start-event-stream.js'
import { writeTelemetryBatch } from '../workers/ingest/write-telemetry-batch.js'
import { loadTwoSchoolsTwoBuses } from './scenarios/two-schools-two-buses.js'
import { killableDatabase } from './support/killable-database.js'
import { storeBackends, type TestDatabase } from './support/store-backends.js'

/**
 * The kill test: two processes derive events from one store, each from its half of the bus
 * partitions. One dies in the middle of an over-speed episode, a limiter episode and a terminal
 * silence of its buses, without releasing anything. Once its leases expire the other takes its
 * partitions over, and the events table ends up exactly as the rules alone derive the same reports:
 * every episode once, under its first key, with its end.
 */
const log = createLogger({ level: 'silent' })
const at = (time: string) => new Date(`2026-03-02T${time}+08:00`)
const startMs = at('07:10:00').getTime()
const endMs = at('07:15:00').getTime()
const stepS = 5
const silenceTickMs = at('07:12:40').getTime()
const killAfterMs = at('07:13:05').getTime()

/** A road far from where the buses drive: their fixes find no road and get the 60 km/h limit. */
const roads = createRoadAtPointIndex(
  buildRoadGraph({
    source: 'test: a road elsewhere',
    ways: [
      {
        id: 'far',
        name: '远路',
        roadClass: 'secondary',
        coords: [
          [121.39, 30.18],
          [121.395, 30.185],
        ],
        speedKmh: 40,
        oneway: false,
        hazard: false,
      },
    ],
  }),
)

const candidates = ['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B8', 'B9', 'B10']

/** What each bus does, minute by minute; the roles are handed out once the partitions are split. */
interface Roles {
  /** Silent from 07:10:30 to 07:13:30 while its trip T2 runs; in the victim's partitions. */
  silent: 'B2'
  /** Over the limit from 07:12:50 to 07:13:30 and its limiter disabled 07:12:45–07:13:40; the victim's. */
  victimSpeeder: string
  /** A short episode 07:11:00–07:11:10, over before the kill; the victim's. */
  victimEarly: string
  /** Two episodes, 07:10:20–07:10:40 and 07:13:00–07:13:20; the survivor's. */
  survivorSpeeder: string
}

function speedOf(roles: Roles, busId: string, ms: number): number {
  const within = (from: string, to: string) => ms >= at(from).getTime() && ms < at(to).getTime()
  if (busId === roles.victimSpeeder && within('07:12:50', '07:13:30')) return 110
  if (busId === roles.victimEarly && within('07:11:00', '07:11:10')) return 110
  if (busId === roles.survivorSpeeder && (within('07:10:20', '07:10:40') || within('07:13:00', '07:13:20')))
    return 110
  return 40
}

function reportsOfStep(roles: Roles, buses: readonly string[], fromMs: number): CommittedBatch {
  const positions: PositionRow[] = []
  const limiterStates: LimiterRow[] = []
  for (let s = 0; s < stepS; s++) {
    const ms = fromMs + s * 1000
    const second = (ms - startMs) / 1000
    for (const [i, busId] of buses.entries()) {
      if (busId === roles.silent && ms > at('07:10:29').getTime() && ms < at('07:13:30').getTime()) continue
      positions.push({
        busId,
        ts: new Date(ms),
        lat: 30.3 + i * 0.01,
        lon: 121.3 + second * 3e-4,
        speedKmh: speedOf(roles, busId, ms),
        headingDeg: 90,
        altM: null,
        accuracyM: 5,
        ignition: true,
        seq: second,
      })
    }
    if (ms === at('07:12:45').getTime())
      limiterStates.push({ busId: roles.victimSpeeder, ts: new Date(ms), limitKmh: 60, state: 'disabled' })
    if (ms === at('07:13:40').getTime())
      limiterStates.push({ busId: roles.victimSpeeder, ts: new Date(ms), limitKmh: 60, state: 'active' })
  }
  return { positions, limiterStates }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function waitUntil(done: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await sleep(20)
  }
}

type StoredEvent = {
  bus_id: string
  kind: string
  ts: Date
  trip_id: string | null
  details: Record<string, unknown>
} & Record<string, unknown>

const asStored = (event: DerivedEvent) => ({
  key: `${event.busId} ${event.kind} ${event.ts.toISOString()}`,
  tripId: event.tripId,
  details: JSON.parse(JSON.stringify(event.details)) as Record<string, unknown>,
})

describe.each(storeBackends())('events derived by two processes on $name, one of them killed', (backend) => {
  let store: TestDatabase
  let now = at('07:10:00')
  const clock: Clock = { now: () => now }
  const stopped: ReportStream[] = []

  beforeAll(async () => {
    store = await backend.open()
    await migrateDatabase(store.db)
    await loadTwoSchoolsTwoBuses(store.db)
    await store.db.exec(`INSERT INTO buses (id, plate, town_id, kind, seats, operator)
      SELECT id, 'plate-' || id, 'longshan', 'school_bus', 36, 'Test operator'
      FROM unnest(ARRAY[${candidates
        .filter((id) => id !== 'B1' && id !== 'B2')
        .map((id) => `'${id}'`)
        .join(', ')}]) AS id`)
  })
  afterAll(async () => {
    await Promise.all(stopped.map((stream) => Promise.race([stream.stop(), sleep(2000)])))
    await store?.dispose()
  })

  const connection = async () => (backend.shared ? store.reopen() : store.db)
  const published: { member: string; event: DerivedEvent }[] = []
  const start = (db: Database, member: string) => {
    const stream = startEventStream({
      db,
      roads,
      clock,
      log,
      member,
      publish: (event) => published.push({ member, event }),
      // Ticks only when the test asks, so both the streams and the plain rules tick at the same times.
      stream: { leaseTtlMs: 1000, heartbeatMs: 150, pollMs: 20, tickMs: 3_600_000, retryMs: 100 },
    })
    stopped.push(stream)
    return stream
  }
  const storedEvents = async (since: Date) =>
    (
      await store.db.query<StoredEvent>(
        `SELECT bus_id, kind, ts, trip_id, details FROM events WHERE ts >= $1 ORDER BY bus_id, kind, ts`,
        [since],
      )
    ).map((row) => ({
      key: `${row.bus_id} ${row.kind} ${new Date(row.ts).toISOString()}`,
      tripId: row.trip_id,
      details: row.details,
    }))

  it('stores every episode once, as the rules derive them, across the failover', async () => {
    const first = killableDatabase(await connection())
    const second = killableDatabase(await connection())
    const a = start(first.db, 'a')
    await waitUntil(() => a.held().length === 16, 'the first process holds every partition')
    const b = start(second.db, 'b')
    await waitUntil(() => a.held().length === 8 && b.held().length === 8, 'each process holds 8')

    // The victim holds the silent bus's partition; the other roles follow the partitions.
    const partitions = new Map(
      (
        await store.db.query<{ id: string; partition: number }>(
          `SELECT id, ${busPartitionSql('id', '$1')} AS partition FROM buses`,
          [16],
        )
      ).map((row) => [row.id, row.partition]),
    )
    const victimIsA = a.held().includes(partitions.get('B2')!)
    const [victim, survivor] = victimIsA ? [a, b] : [b, a]
    const victimBuses = candidates.filter((id) => id !== 'B2' && victim.held().includes(partitions.get(id)!))
    const survivorBuses = candidates.filter((id) => survivor.held().includes(partitions.get(id)!))
    expect(victimBuses.length).toBeGreaterThanOrEqual(2)
    expect(survivorBuses.length).toBeGreaterThanOrEqual(1)
    const roles: Roles = {
      silent: 'B2',
      victimSpeeder: victimBuses[0]!,
      victimEarly: victimBuses[1]!,
      survivorSpeeder: survivorBuses[0]!,
    }
    const buses = ['B2', ...victimBuses, ...survivorBuses]

    // The same reports through the rules alone, with the same ticks.
    const queries = createDerivedEventQueries(store.db)
    const calendar = createTripCalendar({
      loadTrips: async (weekday) => groupScheduledTrips(await queries.listScheduledTripStops(weekday)),
      tripLeadS: defaultEventRuleOptions.tripLeadS,
      tripGraceS: defaultEventRuleOptions.tripGraceS,
    })
    const expected = new Map<string, DerivedEvent>()
    const rules = createBusEventRules({
      roads,
      trips: calendar,
      rules: defaultEventRuleOptions,
      emit: (event) => expected.set(eventKey(event), event),
    })
    await calendar.prepare([at('07:00:00')], at('07:10:00'))
    const earlier = await store.db.query<{
      busId: string
      ts: Date
      lat: number
      lon: number
      speedKmh: number
    }>(`SELECT bus_id AS "busId", ts, lat, lon, speed_kmh AS "speedKmh" FROM positions ORDER BY bus_id, ts`)
    rules.observe({
      positions: earlier.map((p) => ({
        ...p,
        headingDeg: null,
        altM: null,
        accuracyM: null,
        ignition: null,
        seq: null,
      })),
      limiterStates: [],
    })

    let killed = false
    for (let fromMs = startMs; fromMs < endMs; fromMs += stepS * 1000) {
      const batch = reportsOfStep(roles, buses, fromMs)
      now = new Date(fromMs + (stepS - 1) * 1000)
      // Two transactions per step, as two ingest batches would be.
      const half = Math.ceil(batch.positions.length / 2)
      for (const part of [
        { positions: batch.positions.slice(0, half), limiterStates: batch.limiterStates },
        { positions: batch.positions.slice(half), limiterStates: [] },
      ]) {
        await store.db.transaction((tx) => writeTelemetryBatch(tx, { ...part, deadLetters: [] }, now))
      }
      a.wake()
      b.wake()
      await calendar.prepare([now], now)
      rules.observe(batch)
      await sleep(5)

      if (now.getTime() + 1000 === silenceTickMs) {
        now = new Date(silenceTickMs)
        await Promise.all([a.tick(), b.tick()])
        rules.tick(now)
        await waitUntil(
          async () =>
            (await store.db.query(`SELECT 1 FROM events WHERE kind = 'terminal_silent' AND bus_id = 'B2'`))
              .length === 1,
          'the victim has stored the silence',
        )
      }
      if (!killed && now.getTime() + 1000 >= killAfterMs) {
        // The victim has stored the raised episode: it dies in its middle, releasing nothing.
        await waitUntil(
          async () =>
            (
              await store.db.query(`SELECT 1 FROM events WHERE kind = 'over_speed' AND bus_id = $1`, [
                roles.victimSpeeder,
              ])
            ).length === 1,
          'the victim has stored the over-speed episode',
        )
        ;(victimIsA ? first : second).kill()
        killed = true
      }
    }
    expect(killed).toBe(true)

    now = new Date(endMs)
    await waitUntil(() => survivor.held().length === 16, 'the survivor holds every partition')
    // Two full turns of its loop: every partition taken is warmed and read to the end.
    await survivor.tick()
    await survivor.tick()
    rules.tick(now)

    const actual = await storedEvents(at('00:00:00'))
    const wanted = [...expected.values()]
      .map(asStored)
      .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
    actual.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
    expect(actual).toEqual(wanted)
    // What the scenario is about is in there, ended.
    expect(wanted.map((e) => e.key.split(' ').slice(0, 2).join(' ')).sort()).toEqual(
      [
        'B2 terminal_silent',
        `${roles.victimSpeeder} limiter_disabled`,
        `${roles.victimSpeeder} over_speed`,
        `${roles.victimEarly} over_speed`,
        `${roles.survivorSpeeder} over_speed`,
        `${roles.survivorSpeeder} over_speed`,
      ].sort(),
    )
    expect(wanted.every((e) => e.details.endTs !== null)).toBe(true)

    // Each stored row was published, last in the version stored.
    const lastPublished = new Map(published.map(({ event }) => [asStored(event).key, asStored(event)]))
    for (const event of actual) expect(lastPublished.get(event.key)).toEqual(event)
    // The survivor published the ends of the victim's episodes.
    const survivorName = victimIsA ? 'b' : 'a'
    expect(
      published
        .filter(({ member, event }) => member === survivorName && asStored(event).details.endTs != null)
        .map(({ event }) => `${event.busId} ${event.kind}`)
        .sort(),
    ).toEqual(
      expect.arrayContaining([
        'B2 terminal_silent',
        `${roles.victimSpeeder} limiter_disabled`,
        `${roles.victimSpeeder} over_speed`,
      ]),
    )
    await survivor.stop()
  })

  it('loses nothing and stores nothing twice while the store refuses the events for a while', async () => {
    now = at('07:20:00')
    const c = start(await connection(), 'c')
    await waitUntil(() => c.held().length === 16, 'the new process holds every partition')
    const publishedBefore = published.length
    const write = async (from: string, to: string) => {
      for (let ms = at(from).getTime(); ms < at(to).getTime(); ms += 1000) {
        now = new Date(ms)
        const over = ms >= at('07:20:10').getTime() && ms < at('07:20:30').getTime()
        const positions = [
          {
            busId: 'B3',
            ts: now,
            lat: 30.25,
            lon: 121.3 + (ms - startMs) * 3e-7,
            speedKmh: over ? 110 : 40,
            headingDeg: 90,
            altM: null,
            accuracyM: 5,
            ignition: true,
            seq: ms / 1000,
          },
        ]
        await store.db.transaction((tx) =>
          writeTelemetryBatch(tx, { positions, limiterStates: [], deadLetters: [] }, now),
        )
        c.wake()
      }
    }
    const overSpeed = async () =>
      (await storedEvents(at('07:20:00'))).filter((e) => e.key.startsWith('B3 over_speed'))
    await write('07:20:00', '07:20:20')
    await waitUntil(async () => (await overSpeed()).length === 1, 'the episode is stored as raised')

    await store.db.exec(`ALTER TABLE events RENAME TO events_away`)
    await write('07:20:20', '07:20:45')
    await sleep(300)
    await store.db.exec(`ALTER TABLE events_away RENAME TO events`)
    await write('07:20:45', '07:21:00')
    await c.tick()
    await waitUntil(
      async () => (await overSpeed()).some((e) => e.details.endTs !== null),
      'the episode is stored as ended',
    )
    await c.tick()

    // The rules alone, over every report stored, from 07:20 on.
    const expected = new Map<string, DerivedEvent>()
    const rules = createBusEventRules({
      roads,
      trips: { findRunningTrip: () => undefined, listRunningTrips: () => [] },
      rules: defaultEventRuleOptions,
      emit: (event) => expected.set(eventKey(event), event),
    })
    const positions = await store.db.query<PositionRow & Record<string, unknown>>(
      `SELECT bus_id AS "busId", ts, lat, lon, speed_kmh AS "speedKmh", heading_deg AS "headingDeg",
              alt_m AS "altM", accuracy_m AS "accuracyM", ignition, seq
       FROM positions WHERE bus_id = 'B3' ORDER BY ts`,
    )
    rules.observe({ positions, limiterStates: [] })
    const wanted = [...expected.values()].filter((e) => e.ts >= at('07:20:00')).map(asStored)
    expect(await overSpeed()).toEqual(wanted)
    expect(wanted).toHaveLength(1)
    expect(wanted[0]!.details).toMatchObject({ fixes: 20, endTs: at('07:20:29').toISOString() })
    // Raised once and ended once, each published after its commit.
    expect(
      published
        .slice(publishedBefore)
        .filter(({ event }) => event.busId === 'B3')
        .map(
          ({ member, event }) => `${member} ${asStored(event).details.endTs === null ? 'raised' : 'ended'}`,
        ),
    ).toEqual(['c raised', 'c ended'])
  })
})
