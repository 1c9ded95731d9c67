import { describe, expect, it } from 'vitest'
import { M_PER_DEG } from '../../geo/routing/earth-distance.js'
import type { DerivedEvent } from './derived-event.js'
import { defaultEventRuleOptions } from '../../server/core/schedule/event-rule-options.js'
import { createStopVisitRule } from './stop-visit-rule.js'
import type { RunningTrip } from '../../server/core/schedule/trip-calendar.js'

const t0 = Date.parse('2026-03-02T07:00:00+08:00')
const at = (s: number) => new Date(t0 + s * 1000)
const origin = { lat: 30.17, lon: 121.26 }
const lonScale = Math.cos((origin.lat * Math.PI) / 180)
/** A position `northM` metres north and `eastM` east of the origin. */
const offset = (northM: number, eastM = 0) => ({
  lat: origin.lat + northM / M_PER_DEG,
  lon: origin.lon + eastM / (M_PER_DEG * lonScale),
})

const trip: RunningTrip = {
  tripId: 'T1',
  busId: 'B1',
  startsAt: at(-600),
  endsAt: at(7200),
  firstStopAt: at(0),
  lastStopAt: at(1800),
  stops: [
    { seq: 1, stopId: 'ST1', ...offset(0) },
    { seq: 2, stopId: 'ST2', ...offset(1000) },
  ],
}

/** Deterministic GPS noise (mulberry32), in metres, up to ±amplitudeM on each axis. */
function noise(seed: number, amplitudeM: number) {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1) * amplitudeM
  }
}

interface Fix {
  s: number
  northM: number
  speedKmh: number
}

/** A bus driving north at `speedKmh` from `fromM` to `toM`, one fix a second. */
function drive(startS: number, fromM: number, toM: number, speedKmh: number): Fix[] {
  const stepM = (speedKmh / 3.6) * Math.sign(toM - fromM)
  const fixes: Fix[] = []
  for (let i = 0; Math.abs(i * stepM) <= Math.abs(toM - fromM); i++)
    fixes.push({ s: startS + i, northM: fromM + i * stepM, speedKmh })
  return fixes
}

const standStill = (startS: number, northM: number, durationS: number): Fix[] =>
  Array.from({ length: durationS }, (_, i) => ({ s: startS + i, northM, speedKmh: 0 }))

function replay(fixes: Fix[], options: { noiseM?: number; runningTrip?: RunningTrip | undefined } = {}) {
  const events: DerivedEvent[] = []
  const rule = createStopVisitRule('B1', defaultEventRuleOptions, (event) => events.push(event))
  const jitter = noise(7, options.noiseM ?? 0)
  const running = 'runningTrip' in options ? options.runningTrip : trip
  for (const fix of fixes) {
    rule.observe(
      { ts: at(fix.s), ...offset(fix.northM + jitter(), jitter()), speedKmh: fix.speedKmh },
      running,
    )
  }
  return events
}

const summary = (events: DerivedEvent[]) =>
  events.map(
    (e) => `${e.kind} ${'stopId' in e.details ? e.details.stopId : ''} ${(e.ts.getTime() - t0) / 1000}`,
  )

describe('stop visit rule', () => {
  it('arrives when the bus enters the radius and dwells, departs when it is beyond the exit radius', () => {
    const fixes = [
      ...drive(0, -300, -60, 30),
      ...drive(30, -55, 0, 8),
      ...standStill(38, 0, 40),
      ...drive(78, 0, 400, 25),
    ]
    const events = replay(fixes, { noiseM: 8 })
    expect(events.map((e) => e.kind)).toEqual(['stop_arrival', 'stop_departure'])
    const [arrival, departure] = events
    // Truly 50 m out at 32 s and 75 m out at 89 s; 8 m of noise moves each by about a second.
    expect((arrival!.ts.getTime() - t0) / 1000).toBeGreaterThanOrEqual(29)
    expect((arrival!.ts.getTime() - t0) / 1000).toBeLessThanOrEqual(35)
    expect((departure!.ts.getTime() - t0) / 1000).toBeGreaterThanOrEqual(87)
    expect((departure!.ts.getTime() - t0) / 1000).toBeLessThanOrEqual(91)
    expect(arrival).toMatchObject({ tripId: 'T1', details: { stopId: 'ST1', seq: 1 } })
    expect(departure!.details).toMatchObject({ stopId: 'ST1', seq: 1, arrivalTs: arrival!.ts.toISOString() })
  })

  it('is not fooled by a GPS jump away from the stop while the bus waits there', () => {
    const fixes = [...standStill(0, 0, 20), { s: 20, northM: 120, speedKmh: 0 }, ...standStill(21, 0, 20)]
    expect(summary(replay(fixes, { noiseM: 10 }))).toEqual(['stop_arrival ST1 0'])
  })

  it('does not arrive at a stop the bus drives through', () => {
    expect(replay(drive(0, -200, 300, 50), { noiseM: 5 })).toEqual([])
  })

  it('does not arrive at a village stop the bus drives through slower, for longer than the dwell time', () => {
    // 30 km/h: 18 s inside the exit radius, more than the 10 s dwell, and no call.
    expect(replay(drive(0, -200, 300, 30), { noiseM: 5 })).toEqual([])
  })

  it('arrives after the dwell time even if the bus never quite stands still', () => {
    const crawl = drive(0, -60, 60, 6)
    expect(summary(replay(crawl))).toEqual(['stop_arrival ST1 6'])
  })

  it('visits the stops of the trip in turn and does not arrive twice at a stop it left', () => {
    const fixes = [
      ...standStill(0, 0, 15),
      ...drive(15, 0, 990, 36),
      ...standStill(115, 1000, 20),
      ...drive(135, 1000, 0, 36),
      ...standStill(235, 0, 20),
    ]
    expect(summary(replay(fixes, { noiseM: 6 }))).toEqual([
      'stop_arrival ST1 0',
      'stop_departure ST1 23',
      'stop_arrival ST2 110',
      'stop_departure ST2 143',
    ])
  })

  it('does not arrive at a later call the bus stands at when the trip begins, until it comes back to it', () => {
    // The bus ends its last trip at ST2, where this one ends too: standing there is no call of it.
    const fixes = [
      ...standStill(0, 1000, 60),
      ...drive(60, 1000, 0, 36),
      ...standStill(160, 0, 20),
      ...drive(180, 0, 990, 36),
      ...standStill(280, 1000, 20),
    ]
    expect(summary(replay(fixes, { noiseM: 6 }))).toEqual([
      'stop_arrival ST1 155',
      'stop_departure ST1 189',
      'stop_arrival ST2 275',
    ])
  })

  it('derives nothing without a running trip, and starts afresh with the next trip', () => {
    expect(replay(standStill(0, 0, 30), { runningTrip: undefined })).toEqual([])

    const events: DerivedEvent[] = []
    const rule = createStopVisitRule('B1', defaultEventRuleOptions, (event) => events.push(event))
    const next = { ...trip, tripId: 'T2' }
    rule.observe({ ts: at(0), ...offset(0), speedKmh: 0 }, trip)
    rule.observe({ ts: at(1), ...offset(0), speedKmh: 0 }, next)
    expect(events.map((e) => [e.kind, e.tripId, e.ts])).toEqual([
      ['stop_arrival', 'T1', at(0)],
      ['stop_arrival', 'T2', at(1)],
    ])
  })
})
