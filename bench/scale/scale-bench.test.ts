import { describe, expect, it } from 'vitest'
import { createRoadAtPointIndex } from '../../geo/roads/road-at-point.js'
import { buildRoadGraph } from '../../geo/routing/road-graph.js'
import { defaultEventRuleOptions } from '../../server/core/schedule/event-rule-options.js'
import type { ScheduledTrip } from '../../server/core/schedule/trip-calendar.js'
import type { DerivedEvent } from '../../workers/events/derived-event.js'
import { eventKey } from '../../workers/events/derived-event.js'
import { buildBenchWorld, tripStartOf } from './bench-world.js'
import { deriveExpectedEvents, type PublishedReport } from './expected-events.js'
import { fleetCentre, planFleet, reportsOfStep, type BusPlan } from './fleet-plan.js'
import { measureLiveDelivery } from './live-watchers.js'
import { compareEvents, type StoredEvent } from './stored-figures.js'

const rules = defaultEventRuleOptions
/** A road far from the fleet: the rules find no road under it, so every limit is the ordinary 60 km/h. */
const roads = createRoadAtPointIndex(
  buildRoadGraph({
    source: 'test',
    ways: [
      {
        id: 'far',
        roadClass: 'secondary',
        coords: [
          [120.5, 29.5],
          [120.51, 29.5],
        ],
        speedKmh: 40,
        oneway: false,
      },
    ],
  }),
)
const seedAt = new Date('2026-03-02T10:00:00.300+08:00')

/** The reports the bench would publish, from `startAtMs`, one second apart per bus. */
function reportsOf(plans: readonly BusPlan[], startAtMs: number): PublishedReport[] {
  return plans.flatMap((plan) =>
    plan.steps.flatMap((_, k) => reportsOfStep(plan, k, new Date(startAtMs + k * 1000 + plan.index * 10))),
  )
}

/** The trips as the store lists them to the events part. */
function scheduledTrips(plans: readonly BusPlan[]): ScheduledTrip[] {
  const world = buildBenchWorld({
    plans,
    seedAt,
    rules,
    roads: { source: 'test', ways: [] },
    probeBusId: 'p',
  })
  const stops = new Map(world.stops.map((stop) => [stop.id, stop.location]))
  return world.trips.map((trip) => ({
    id: trip.id,
    busId: trip.busId,
    stops: trip.stops.map((stop, i) => ({
      seq: i + 1,
      stopId: stop.stopId,
      ...stops.get(stop.stopId)!,
      arriveTime: stop.arrive,
      departTime: stop.depart,
    })),
  }))
}

async function expectedFor(plans: readonly BusPlan[], seconds: number) {
  const startAtMs = seedAt.getTime() + 20_000
  const trips = scheduledTrips(plans)
  return deriveExpectedEvents({
    reports: reportsOf(plans, startAtMs),
    loadTrips: async () => trips,
    roads,
    rules,
    ticksFromMs: seedAt.getTime() + 3000,
    ticksToMs: startAtMs + seconds * 1000 + 30_000,
  })
}

const count = (events: Map<string, DerivedEvent>, busId: string, kind: DerivedEvent['kind']) =>
  [...events.values()].filter((event) => event.busId === busId && event.kind === kind).length

describe('the scale bench fleet', () => {
  it('plans a drive of the given length per bus, every fourth bus silent, stops where it stands', () => {
    const plans = planFleet({ idPrefix: 't', buses: 8, seconds: 30, silentAfterS: rules.silentAfterS })
    expect(plans.map((plan) => plan.steps.length)).toEqual(Array(8).fill(30))
    expect(plans.filter((plan) => plan.silentAtStart).map((plan) => plan.busId)).toEqual(['t-0002', 't-0006'])
    // Too short a run for a silence in the middle.
    expect(plans.every((plan) => plan.gap === null)).toBe(true)
    for (const plan of plans) {
      expect(plan.stops.length).toBeGreaterThan(0)
      expect(plan.steps.every((step) => Math.abs(step.lat - fleetCentre.lat) < 0.05)).toBe(true)
    }
    const long = planFleet({ idPrefix: 't', buses: 2, seconds: 300, silentAfterS: rules.silentAfterS })
    expect(long[1]!.gap!.toS - long[1]!.gap!.fromS).toBeGreaterThan(rules.silentAfterS)
    expect(long[1]!.steps.filter((step) => !step.reports)).toHaveLength(
      long[1]!.gap!.toS - long[1]!.gap!.fromS,
    )
  })

  it('derives over-speed, stop, limiter and silence events from the planned drives', async () => {
    const plans = planFleet({ idPrefix: 't', buses: 8, seconds: 60, silentAfterS: rules.silentAfterS })
    const events = await expectedFor(plans, 60)
    for (const plan of plans) {
      expect(count(events, plan.busId, 'over_speed')).toBeGreaterThanOrEqual(plan.index % 5 === 2 ? 1 : 2)
      expect(count(events, plan.busId, 'stop_arrival')).toBeGreaterThanOrEqual(2)
      expect(count(events, plan.busId, 'stop_departure')).toBeGreaterThanOrEqual(1)
      if (plan.index % 3 === 0)
        expect(count(events, plan.busId, 'limiter_disabled')).toBeGreaterThanOrEqual(1)
      else expect(count(events, plan.busId, 'limiter_disabled')).toBe(0)
      // Silent from its trip's start to its first report: dated at the trip's start.
      const silences = [...events.values()].filter(
        (e) => e.busId === plan.busId && e.kind === 'terminal_silent',
      )
      expect(silences.map((e) => e.ts)).toEqual(plan.silentAtStart ? [tripStartOf(plan, seedAt, rules)] : [])
    }
    // A 2-second burst is too short: the bus that drives every other episode as one has fewer.
    expect(count(events, 't-0003', 'over_speed')).toBeLessThan(count(events, 't-0002', 'over_speed'))
  })

  it('plans a silence longer than the threshold in the middle of a long run', async () => {
    const plans = planFleet({ idPrefix: 't', buses: 2, seconds: 200, silentAfterS: rules.silentAfterS })
    const events = await expectedFor(plans, 200)
    expect(count(events, 't-0002', 'terminal_silent')).toBe(2)
    expect(count(events, 't-0001', 'terminal_silent')).toBe(0)
  })
})

describe('comparing the store with the expected events', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 2, 2, 2, 0, s))
  const overSpeed = (ts: Date, durationS: number): DerivedEvent => ({
    busId: 'b',
    kind: 'over_speed',
    ts,
    tripId: 't',
    details: {
      peakKmh: 110,
      limitKmh: 60,
      limitReason: 'other_road',
      roadClass: null,
      roadName: null,
      peakTs: ts.toISOString(),
      lat: 30,
      lon: 121,
      durationS,
      fixes: durationS + 1,
      endTs: null,
    },
  })
  const stored = (event: DerivedEvent): StoredEvent => ({ ...event, details: { ...event.details } })

  it('counts missed keys, and tells a doubled episode from a stray row', () => {
    const expected = new Map([overSpeed(at(0), 8), overSpeed(at(30), 8)].map((e) => [eventKey(e), e]))
    const figures = compareEvents(expected, [
      stored(overSpeed(at(0), 8)),
      // The same episode seen from its third fix on, by a process that took over mid-episode.
      stored(overSpeed(at(2), 6)),
      stored(overSpeed(at(60), 6)),
    ])
    expect(figures).toMatchObject({
      eventsExpected: 2,
      eventsStored: 3,
      eventsMissed: 1,
      eventsDuplicated: 1,
      eventsUnexpected: 1,
    })
  })
})

describe('live delivery', () => {
  it('counts a report delivered where a position at least as new arrived', () => {
    const fix = (busId: string, ms: number): PublishedReport => ({
      kind: 'gps',
      row: {
        busId,
        ts: new Date(ms),
        lat: 30,
        lon: 121,
        speedKmh: 20,
        headingDeg: 90,
        altM: null,
        accuracyM: 5,
        ignition: true,
        seq: 0,
      },
    })
    const published = [fix('a', 1000), fix('a', 2000), fix('a', 3000), fix('b', 1000)]
    const figures = measureLiveDelivery(published, [
      // Server 1 sent a's second report only (it stands for the first), and nothing of b.
      new Map([['a', [{ tsMs: 2000, atMs: 2050 }]]]),
      new Map([
        ['a', [{ tsMs: 3000, atMs: 3020 }]],
        ['b', [{ tsMs: 1000, atMs: 1010 }]],
      ]),
    ])
    expect(figures).toMatchObject({ liveExpected: 8, liveDelivered: 6, liveMaxMs: 2020 })
  })
})
