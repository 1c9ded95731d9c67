import { describe, expect, it } from 'vitest'
import { createEtaTracker, type EtaFix, type EtaTracker, type ScheduledCall } from './eta-tracker.js'
import { driveBus, placeAt, stopAt, testTownRouter } from './eta-test-town.js'
import type { LegTimeTable } from './learned-leg-times.js'
import { buildTripRoute } from './trip-route.js'
import type { LatLon } from '../lat-lon.js'
import { measureDistanceM } from '../routing/earth-distance.js'

// First stop on main street, the second up the dead-end lane (driven up and back down), the
// third further east on main street: router legs of 132 s and 234 s.
const route = await buildTripRoute([stopAt(1, 200), stopAt(2, 1000, 700), stopAt(3, 2500)], testTownRouter())
const t0 = Date.parse('2026-03-02T07:00:00+08:00')
const at = (s: number) => t0 + s * 1000
const schedule: ScheduledCall[] = [
  { arriveMs: at(60), departMs: at(120) },
  { arriveMs: at(260), departMs: at(290) },
  { arriveMs: at(560), departMs: at(560) },
]
const onTime = driveBus(route, { startMs: at(30), firstDepartMs: at(120), dwellS: 30 })

function feed(tracker: EtaTracker, fixes: EtaFix[], untilMs = Infinity): void {
  for (const fix of fixes) if (fix.ts.getTime() <= untilMs) tracker.observe(fix)
}

const etaMs = (tracker: EtaTracker, atMs: number, seq: number) => {
  const ts = tracker.estimate(atMs).stops.find((stop) => stop.seq === seq)!.etaTs
  return ts === null ? null : Date.parse(ts)
}

/** When the bus first comes within 10 m of a place. */
const whenAt = (fixes: EtaFix[], place: LatLon) =>
  fixes.find((fix) => measureDistanceM(fix, place) < 10)!.ts.getTime()

describe('eta tracker', () => {
  it('estimates the stops ahead from the bus’s progress along the route', () => {
    const tracker = createEtaTracker(route, { schedule })
    const nowMs = at(170)
    feed(tracker, onTime.fixes, nowMs)
    const eta = tracker.estimate(nowMs)
    expect(eta.status).toBe('on_route')
    expect(eta.nextSeq).toBe(2)
    expect(eta.lastReportTs).toBe(new Date(nowMs).toISOString())
    expect(eta.progressM).toBeGreaterThan(400)
    expect(eta.progressM).toBeLessThan(1200)
    expect(eta.stops[0]).toMatchObject({ seq: 1, stopId: 'S1', passed: true, etaS: 0 })
    const [, second, third] = eta.stops
    expect(second!.passed).toBe(false)
    expect(Math.abs(Date.parse(second!.etaTs!) - onTime.arrivedMs[1]!)).toBeLessThan(15_000)
    expect(Math.abs(Date.parse(third!.etaTs!) - onTime.arrivedMs[2]!)).toBeLessThan(25_000)
    expect(second!.etaS).toBe(Math.round((Date.parse(second!.etaTs!) - nowMs) / 1000))
  })

  it('goes by the timetable before the bus reaches the first stop, and knows nothing without one', () => {
    const scheduled = createEtaTracker(route, { schedule })
    const plain = createEtaTracker(route)
    const far = { ts: new Date(at(-300)), ...placeAt(2500), speedKmh: 30 }
    scheduled.observe(far)
    plain.observe(far)
    const eta = scheduled.estimate(at(-290))
    expect(eta.status).toBe('not_started')
    expect(eta.progressM).toBeNull()
    // It cannot leave before its departure time, then drives the router's time.
    expect(etaMs(scheduled, at(-290), 2)! - at(120)).toBeGreaterThan(120_000)
    expect(etaMs(scheduled, at(-290), 2)! - at(120)).toBeLessThan(160_000)
    expect(plain.estimate(at(-290)).stops.every((stop) => stop.etaTs === null)).toBe(true)
    expect(plain.estimate(at(-290)).status).toBe('not_started')
  })

  it('does not let GPS noise move the progress back or the estimate back and forth', () => {
    const noisy = driveBus(route, { startMs: at(30), firstDepartMs: at(120), dwellS: 30, noiseM: 12 })
    const clean = createEtaTracker(route, { schedule })
    const tracker = createEtaTracker(route, { schedule })
    let lastProgressM = -Infinity
    let largestStepS = 0
    let largestGapS = 0
    let previousS: number | null = null
    noisy.fixes.forEach((fix, i) => {
      tracker.observe(fix)
      clean.observe(onTime.fixes[i] ?? fix)
      const nowMs = fix.ts.getTime()
      const eta = tracker.estimate(nowMs)
      expect(eta.progressM ?? -Infinity).toBeGreaterThanOrEqual(lastProgressM)
      lastProgressM = eta.progressM ?? -Infinity
      const third = etaMs(tracker, nowMs, 3)
      const cleanThird = etaMs(clean, nowMs, 3)
      if (third === null || cleanThird === null || eta.nextSeq !== 3) return
      if (previousS !== null) largestStepS = Math.max(largestStepS, Math.abs(third / 1000 - previousS))
      largestGapS = Math.max(largestGapS, Math.abs(third - cleanThird) / 1000)
      previousS = third / 1000
    })
    expect(previousS).not.toBeNull()
    expect(largestStepS).toBeLessThan(3)
    expect(largestGapS).toBeLessThan(10)
  })

  it('keeps the pass of a twice-driven street the bus is on', () => {
    const tracker = createEtaTracker(route, { schedule })
    const upTheLaneMs = whenAt(onTime.fixes, placeAt(1000, 400))
    feed(
      tracker,
      driveBus(route, { startMs: at(30), firstDepartMs: at(120), dwellS: 30, noiseM: 8 }).fixes,
      upTheLaneMs,
    )
    const eta = tracker.estimate(upTheLaneMs)
    expect(eta.nextSeq).toBe(2)
    expect(eta.progressM).toBeGreaterThan(800 + 350)
    expect(eta.progressM).toBeLessThan(800 + 450)
  })

  it('says it does not know while the bus is silent', () => {
    const tracker = createEtaTracker(route, { schedule, silentAfterS: 120 })
    const lastMs = at(200)
    feed(tracker, onTime.fixes, lastMs)
    expect(tracker.estimate(lastMs + 100_000).status).toBe('on_route')
    const eta = tracker.estimate(lastMs + 121_000)
    expect(eta.status).toBe('silent')
    expect(eta.lastReportTs).toBe(new Date(lastMs).toISOString())
    expect(eta.stops.filter((stop) => !stop.passed).map((stop) => [stop.etaTs, stop.etaS])).toEqual([
      [null, null],
      [null, null],
    ])
    expect(eta.stops[0]!.etaTs).not.toBeNull()
  })

  it('says the bus is off its route, and picks it up again when it is back', () => {
    const tracker = createEtaTracker(route, { schedule, offRouteM: 60, offRouteFixes: 3 })
    const fromMs = whenAt(onTime.fixes, placeAt(2000))
    feed(tracker, onTime.fixes, fromMs)
    for (let s = 1; s <= 5; s++) {
      tracker.observe({ ts: new Date(fromMs + s * 1000), ...placeAt(2000, 150 + 10 * s), speedKmh: 30 })
    }
    const off = tracker.estimate(fromMs + 5000)
    expect(off.status).toBe('off_route')
    expect(off.stops[2]!.etaTs).toBeNull()
    tracker.observe({ ts: new Date(fromMs + 60_000), ...placeAt(2200), speedKmh: 30 })
    const back = tracker.estimate(fromMs + 60_000)
    expect(back.status).toBe('on_route')
    expect(back.stops[2]!.etaTs).not.toBeNull()
  })

  it('follows a real delay: a bus standing in a jam is expected later and later', () => {
    const jammed = driveBus(route, {
      startMs: at(30),
      firstDepartMs: at(120),
      dwellS: 30,
      hold: { atM: 3000, forS: 240 },
    })
    const tracker = createEtaTracker(route, { schedule })
    const holdStartMs = whenAt(jammed.fixes, placeAt(1800))
    feed(tracker, jammed.fixes, holdStartMs)
    const before = etaMs(tracker, holdStartMs, 3)!
    feed(
      tracker,
      jammed.fixes.filter((fix) => fix.ts.getTime() > holdStartMs),
      holdStartMs + 200_000,
    )
    const during = etaMs(tracker, holdStartMs + 200_000, 3)!
    expect(during - before).toBeGreaterThan(100_000)
    const lateMs = jammed.arrivedMs[2]! - 30_000
    const tracker2 = createEtaTracker(route, { schedule })
    feed(tracker2, jammed.fixes, lateMs)
    expect(Math.abs(etaMs(tracker2, lateMs, 3)! - jammed.arrivedMs[2]!)).toBeLessThan(15_000)
  })

  it('uses what earlier runs taught about the legs', () => {
    const learned: LegTimeTable = {
      legS: (tripId, fromSeq) => (tripId === 'T1' && fromSeq === 2 ? 400 : null),
      dwellS: () => null,
      legObservationCount: 1,
      dwellObservationCount: 0,
      chainFactor: 1,
    }
    const taught = createEtaTracker(route, { schedule, tripId: 'T1', learned })
    const plain = createEtaTracker(route, { schedule })
    feed(taught, onTime.fixes, at(100))
    feed(plain, onTime.fixes, at(100))
    expect(etaMs(taught, at(100), 2)).toBe(etaMs(plain, at(100), 2))
    // The router's 234 s for the second leg, less its parts inside the stop radii, against 400 s.
    const extraS = (etaMs(taught, at(100), 3)! - etaMs(plain, at(100), 3)!) / 1000
    expect(extraS).toBeGreaterThan(170)
    expect(extraS).toBeLessThan(200)
  })

  it('does not take a bus passing its first stop long before the timetable for the trip', () => {
    const early = driveBus(route, { startMs: at(-900), firstDepartMs: at(-880), dwellS: 30 })
    const tracker = createEtaTracker(route, { schedule })
    feed(tracker, early.fixes, at(-860))
    expect(tracker.estimate(at(-860)).status).toBe('not_started')
    expect(tracker.estimate(at(-860)).progressM).toBeNull()
  })

  it('finishes at the last stop, and ignores fixes older than the last', () => {
    const tracker = createEtaTracker(route, { schedule })
    feed(tracker, onTime.fixes)
    const last = onTime.fixes[onTime.fixes.length - 1]!
    tracker.observe({ ...onTime.fixes[10]!, ts: new Date(last.ts.getTime() - 5000) })
    const eta = tracker.estimate(last.ts.getTime() + 1000)
    expect(eta.status).toBe('finished')
    expect(eta.nextSeq).toBeNull()
    expect(eta.stops.every((stop) => stop.passed)).toBe(true)
    expect(eta.progressM).toBeCloseTo(route.lengthM, -1)
  })

  it('joins a trip it meets mid-way, and one whose first stop the bus called at unseen', () => {
    const midwayMs = whenAt(onTime.fixes, placeAt(1000, 200))
    const joining = createEtaTracker(route, { schedule })
    feed(
      joining,
      onTime.fixes.filter((fix) => fix.ts.getTime() >= midwayMs),
      midwayMs + 5000,
    )
    const joined = joining.estimate(midwayMs + 5000)
    expect(joined.status).toBe('on_route')
    expect(joined.nextSeq).toBe(2)
    expect(joined.stops[0]!.passed).toBe(true)
    expect(Math.abs(etaMs(joining, midwayMs + 5000, 2)! - onTime.arrivedMs[1]!)).toBeLessThan(20_000)

    // Seen 150 m before the first stop, then nothing until it is 100 m past it.
    const approach = driveBus(route, { startMs: at(30), firstDepartMs: at(120), dwellS: 30 })
    const hole = createEtaTracker(route, { schedule })
    const pastMs = whenAt(approach.fixes, placeAt(300))
    hole.observe({ ts: new Date(at(0)), ...placeAt(50), speedKmh: 20 })
    feed(
      hole,
      approach.fixes.filter((fix) => fix.ts.getTime() >= pastMs),
      pastMs + 5000,
    )
    expect(hole.estimate(pastMs + 5000).status).toBe('on_route')
  })

  it('does not take a bus seen elsewhere and then on the route far from the first stop for this trip', () => {
    // As a bus finishing its previous trip along the same roads would be, after this one's departure time.
    const tracker = createEtaTracker(route, { schedule })
    tracker.observe({ ts: new Date(at(100)), ...placeAt(1500, 300), speedKmh: 20 })
    const laterMs = whenAt(onTime.fixes, placeAt(1000, 300))
    const fixes = onTime.fixes.filter((fix) => fix.ts.getTime() >= laterMs)
    feed(tracker, fixes, laterMs + 60_000)
    expect(tracker.estimate(laterMs + 60_000).status).toBe('not_started')
  })

  it('holds an early bus at a timepoint until its departure', () => {
    // The timetable has the bus at the second stop at 600 s; it gets there at about 260 s.
    const late = (holds: boolean) => [
      schedule[0]!,
      { arriveMs: at(600), departMs: at(600), holds },
      schedule[2]!,
    ]
    const held = createEtaTracker(route, { schedule: late(true) })
    const free = createEtaTracker(route, { schedule: late(false) })
    feed(held, onTime.fixes, at(170))
    feed(free, onTime.fixes, at(170))
    // Leaving the second stop no earlier than 600 s, the third is a leg of about 234 s after that.
    expect(etaMs(held, at(170), 3)!).toBeGreaterThanOrEqual(at(600 + 200))
    expect(etaMs(free, at(170), 3)!).toBeLessThan(at(600))
  })

  it('joins a trip already under way after as many fixes as it is told', () => {
    const underWay = onTime.fixes.filter((fix) => fix.ts.getTime() >= at(170))
    const once = createEtaTracker(route, { schedule, joinFixes: 1 })
    const thrice = createEtaTracker(route, { schedule })
    once.observe(underWay[0]!)
    thrice.observe(underWay[0]!)
    expect(once.estimate(underWay[0]!.ts.getTime()).status).toBe('on_route')
    expect(thrice.estimate(underWay[0]!.ts.getTime()).status).toBe('not_started')
  })

  it('counts the time inside a stop’s radii as the route’s when its times run stop to stop', () => {
    const withRoute = createEtaTracker(route, {
      schedule,
      routeTimedStopToStop: true,
      approachS: 0,
      leaveS: 0,
    })
    const without = createEtaTracker(route, { schedule, approachS: 0, leaveS: 0 })
    feed(withRoute, onTime.fixes, at(170))
    feed(without, onTime.fixes, at(170))
    expect(etaMs(withRoute, at(170), 3)!).toBeGreaterThan(etaMs(without, at(170), 3)! + 5_000)
  })
})
