import { beforeEach, describe, expect, it } from 'vitest'
import { createRoadAtPointIndex } from '../../geo/roads/road-at-point.js'
import { M_PER_DEG } from '../../geo/routing/earth-distance.js'
import { buildRoadGraph } from '../../geo/routing/road-graph.js'
import type { LimiterRow, PositionRow } from '../../server/core/broker/telemetry-rows.js'
import { createBusEventRules, type BusEventRules } from './bus-event-rules.js'
import type { DerivedEvent } from './derived-event.js'
import { defaultEventRuleOptions } from '../../server/core/schedule/event-rule-options.js'
import { createTripCalendar } from '../../server/core/schedule/trip-calendar.js'

const t0 = Date.parse('2026-03-02T07:00:00+08:00')
const at = (s: number) => new Date(t0 + s * 1000)
const lat0 = 30.17
const lon0 = 121.26
const north = (m: number) => lat0 + m / M_PER_DEG

/** A street running north from (lat0, lon0) for 3 km; its stretch from 1000 m to 1300 m is a bridge. */
const roads = createRoadAtPointIndex(
  buildRoadGraph({
    source: 'test street',
    ways: [
      [0, 1000, false],
      [1000, 1300, true],
      [1300, 3000, false],
    ].map(([fromM, toM, hazard], i) => ({
      id: `w${i}`,
      name: hazard ? 'Bridge' : 'Street',
      roadClass: 'secondary' as const,
      coords: [
        [lon0, north(fromM as number)],
        [lon0, north(toM as number)],
      ],
      speedKmh: 40,
      oneway: false,
      hazard: hazard as boolean,
    })),
  }),
)

/** Trip T1 of bus B1 stops at the street's start (07:00) and at 2 km (07:10). */
const calendar = createTripCalendar({
  tripLeadS: 600,
  tripGraceS: 1800,
  loadTrips: async (isoWeekday) =>
    isoWeekday === 1
      ? [
          {
            id: 'T1',
            busId: 'B1',
            stops: [
              {
                seq: 1,
                stopId: 'ST1',
                lat: north(0),
                lon: lon0,
                arriveTime: '07:00:00',
                departTime: '07:01:00',
              },
              {
                seq: 2,
                stopId: 'ST2',
                lat: north(2000),
                lon: lon0,
                arriveTime: '07:10:00',
                departTime: '07:11:00',
              },
            ],
          },
        ]
      : [],
})

const fix = (s: number, northM: number, speedKmh: number, busId = 'B1'): PositionRow => ({
  busId,
  ts: at(s),
  lat: north(northM),
  lon: lon0,
  speedKmh,
  headingDeg: speedKmh > 0 ? 0 : null,
  altM: null,
  accuracyM: null,
  ignition: true,
  seq: s,
})

const limiter = (s: number, state: LimiterRow['state'], busId = 'B1'): LimiterRow => ({
  busId,
  ts: at(s),
  limitKmh: 60,
  state,
})

/** Waits at ST1 for 20 s, then drives north at 72 km/h for 30 s (over 60 for the whole run). */
const morningRun = (): PositionRow[] => [
  ...Array.from({ length: 20 }, (_, i) => fix(i, 0, 0)),
  ...Array.from({ length: 30 }, (_, i) => fix(20 + i, 20 * (i + 1), 72)),
  ...Array.from({ length: 10 }, (_, i) => fix(50 + i, 600 + 5 * i, 15)),
]

const summary = (events: DerivedEvent[]) =>
  events.map(
    (e) =>
      `${e.busId} ${e.kind} ${(e.ts.getTime() - t0) / 1000}${'endTs' in e.details && e.details.endTs ? ' ended' : ''}`,
  )

describe('createBusEventRules', () => {
  let events: DerivedEvent[]
  let rules: BusEventRules
  beforeEach(async () => {
    await calendar.prepare([at(0)], at(0))
    events = []
    rules = createBusEventRules({
      roads,
      trips: calendar,
      rules: defaultEventRuleOptions,
      emit: (event) => events.push(event),
    })
  })

  it('derives the same events from a shuffled batch as from an ordered one', () => {
    const ordered = morningRun()
    rules.observe({ positions: ordered, limiterStates: [] })
    const fromOrdered = summary(events)
    expect(fromOrdered).toEqual([
      'B1 stop_arrival 0',
      'B1 stop_departure 23',
      'B1 over_speed 20',
      'B1 over_speed 20 ended',
    ])

    events = []
    const fresh = createBusEventRules({
      roads,
      trips: calendar,
      rules: defaultEventRuleOptions,
      emit: (event) => events.push(event),
    })
    const shuffled = [...ordered].sort((a, b) => ((a.seq! * 7919) % 61) - ((b.seq! * 7919) % 61))
    expect(shuffled.map((row) => row.seq)).not.toEqual(ordered.map((row) => row.seq))
    fresh.observe({ positions: shuffled, limiterStates: [] })
    expect(summary(events)).toEqual(fromOrdered)
  })

  it('treats a redelivered batch and repeated rows as no-ops', () => {
    const batch = { positions: morningRun(), limiterStates: [limiter(30, 'disabled')] }
    rules.observe({
      positions: [...batch.positions, ...batch.positions.slice(20, 30)],
      limiterStates: batch.limiterStates,
    })
    const first = summary(events)
    expect(first).toContain('B1 limiter_disabled 30')
    rules.observe(batch)
    expect(summary(events)).toEqual(first)
  })

  it('ignores a fix that arrives after newer ones, so it can neither end nor inflate an episode', () => {
    const run = morningRun()
    rules.observe({ positions: run.slice(0, 35), limiterStates: [] })
    expect(summary(events)).toContain('B1 over_speed 20')
    rules.observe({ positions: [fix(30, 220, 10), fix(31, 240, 140)], limiterStates: [] })
    rules.observe({ positions: run.slice(35), limiterStates: [] })
    const ended = events.filter((e) => e.kind === 'over_speed').at(-1)!
    expect(ended.details).toMatchObject({ peakKmh: 72, fixes: 30, endTs: at(49).toISOString() })
  })

  it('applies the 20 km/h rule on the bridge the fixes are on', () => {
    const onBridge = Array.from({ length: 12 }, (_, i) => fix(100 + i, 1050 + 10 * i, 36))
    rules.observe({ positions: onBridge, limiterStates: [] })
    expect(events).toMatchObject([
      {
        kind: 'over_speed',
        ts: at(100),
        details: { limitKmh: 20, limitReason: 'hazard', roadName: 'Bridge' },
      },
    ])
  })

  it('applies the 20 km/h rule everywhere in fog', () => {
    const inFog = createBusEventRules({
      roads,
      trips: calendar,
      rules: defaultEventRuleOptions,
      emit: (event) => events.push(event),
      drivingConditions: (_busId, when) => (when >= at(200) ? ['fog'] : []),
    })
    inFog.observe({
      positions: Array.from({ length: 20 }, (_, i) => fix(190 + i, 2500 + 10 * i, 30)),
      limiterStates: [],
    })
    expect(events).toMatchObject([
      { kind: 'over_speed', ts: at(200), details: { limitKmh: 20, limitReason: 'condition' } },
    ])
  })

  it('raises a silence only while a trip runs, from what the store knew before the process began', () => {
    rules.restore([{ busId: 'B1', lastPositionTs: at(-900), lastLimiter: null }])
    rules.tick(at(-700))
    expect(events).toEqual([])
    rules.tick(at(-479))
    expect(summary(events)).toEqual(['B1 terminal_silent -600'])
    rules.observe({ positions: [fix(-300, 0, 0)], limiterStates: [] })
    const silences = () => summary(events.filter((e) => e.kind === 'terminal_silent'))
    expect(silences()).toEqual(['B1 terminal_silent -600', 'B1 terminal_silent -600 ended'])
    rules.tick(at(-200))
    expect(silences()).toHaveLength(2)
  })

  it('raises a limiter alarm from a restored state as soon as the bus moves', () => {
    rules.restore([
      { busId: 'B1', lastPositionTs: null, lastLimiter: { ts: at(-3600), state: 'fault', limitKmh: null } },
    ])
    rules.observe({ positions: [fix(0, 0, 0), fix(1, 5, 20)], limiterStates: [] })
    expect(events.filter((e) => e.kind === 'limiter_disabled')).toMatchObject([
      { ts: at(1), details: { state: 'fault' } },
    ])
  })

  it('takes up an open silence raised elsewhere, and ends that same event with the next report', () => {
    rules.resume([
      {
        busId: 'B1',
        kind: 'terminal_silent',
        ts: at(-600),
        tripId: 'T1',
        details: { lastReportTs: null, thresholdS: 120, endTs: null, silentS: null },
      },
    ])
    rules.tick(at(-300))
    expect(events).toEqual([])
    rules.observe({ positions: [fix(-200, 0, 0)], limiterStates: [] })
    expect(events.filter((e) => e.kind === 'terminal_silent')).toMatchObject([
      { kind: 'terminal_silent', ts: at(-600), details: { endTs: at(-200).toISOString(), silentS: 400 } },
    ])
  })

  it('does not take up a silence that a report it has seen already ended', () => {
    rules.observe({ positions: [fix(-100, 0, 0)], limiterStates: [] })
    rules.resume([
      {
        busId: 'B1',
        kind: 'terminal_silent',
        ts: at(-600),
        tripId: 'T1',
        details: { lastReportTs: null, thresholdS: 120, endTs: null, silentS: null },
      },
    ])
    rules.observe({ positions: [fix(-90, 0, 0)], limiterStates: [] })
    expect(events.filter((e) => e.kind === 'terminal_silent')).toEqual([])
  })

  it('takes up an open limiter episode, so the bus moving on starts no second one', () => {
    rules.restore([
      { busId: 'B1', lastPositionTs: null, lastLimiter: { ts: at(-3600), state: 'disabled', limitKmh: 60 } },
    ])
    rules.resume([
      {
        busId: 'B1',
        kind: 'limiter_disabled',
        ts: at(-3500),
        tripId: null,
        details: {
          state: 'disabled',
          states: ['disabled'],
          limitKmh: 60,
          speedKmh: 30,
          endTs: null,
          durationS: null,
        },
      },
    ])
    rules.observe({ positions: [fix(0, 0, 0), fix(1, 5, 20)], limiterStates: [limiter(10, 'active')] })
    expect(events.filter((e) => e.kind === 'limiter_disabled')).toMatchObject([
      { ts: at(-3500), details: { endTs: at(10).toISOString(), durationS: 3510, speedKmh: 30 } },
    ])
  })

  it("raises an event from an alarm of the bus's own terminal", () => {
    rules.observe({
      positions: [
        { ...fix(0, 0, 0), terminal: { alarms: ['sos'] } },
        { ...fix(1, 0, 0), terminal: null },
        { ...fix(2, 0, 0), terminal: { alarms: [] } },
      ],
      limiterStates: [],
    })
    expect(summary(events.filter((e) => e.kind === 'terminal_sos'))).toEqual([
      'B1 terminal_sos 0',
      'B1 terminal_sos 0 ended',
    ])
    expect(events.find((e) => e.kind === 'terminal_sos')).toMatchObject({
      tripId: 'T1',
      details: { alarm: 'sos', lat: north(0), lon: lon0, speedKmh: 0, endTs: null },
    })
  })

  it('raises one late trip when the bus reaches a call 12 minutes after its time (ST2, 07:10)', () => {
    rules.observe({
      positions: [
        ...Array.from({ length: 20 }, (_, i) => fix(i, 0, 0)),
        ...Array.from({ length: 10 }, (_, i) => fix(1300 + i, 1500 + 40 * i, 30)),
        ...Array.from({ length: 20 }, (_, i) => fix(1320 + i, 2000, 0)),
      ],
      limiterStates: [],
    })
    expect(summary(events)).toEqual([
      'B1 stop_arrival 0',
      'B1 stop_departure 1300',
      'B1 stop_arrival 1320',
      'B1 trip_late 1320',
    ])
    expect(events.at(-1)).toMatchObject({
      tripId: 'T1',
      details: {
        stopId: 'ST2',
        seq: 2,
        plannedTs: at(600).toISOString(),
        arrivedTs: at(1320).toISOString(),
        lateMin: 12,
      },
    })
  })

  it('raises silences only for the buses a partition owns', () => {
    rules.restore([{ busId: 'B1', lastPositionTs: at(-900), lastLimiter: null }])
    rules.tick(at(-479), (busId) => busId !== 'B1')
    expect(events).toEqual([])
    rules.tick(at(-479), (busId) => busId === 'B1')
    expect(summary(events)).toEqual(['B1 terminal_silent -600'])
  })
})
