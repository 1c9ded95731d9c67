import { describe, expect, it } from 'vitest'
import type { LatLon } from '../../geo/lat-lon.js'
import { createRoadAtPointIndex } from '../../geo/roads/road-at-point.js'
import type { RoadWay } from '../../geo/roads/road-network.js'
import { haversineM } from '../../geo/routing/earth-distance.js'
import { buildRoadGraph } from '../../geo/routing/road-graph.js'
import { readPolandTracks, shiftTrack, toPositionRows } from '../../test/support/real-gps-tracks.js'
import type { PositionRow } from '../../server/core/broker/telemetry-rows.js'
import { createBusEventRules } from './bus-event-rules.js'
import type { DerivedEvent } from './derived-event.js'
import { defaultEventRuleOptions } from '../../server/core/schedule/event-rule-options.js'
import { createTripCalendar, type ScheduledStop } from '../../server/core/schedule/trip-calendar.js'

/**
 * The rules fed real GPS fixes: tracks of the shared Poland traces, moved rigidly to start in
 * Longshan (龙山), one fix a second, speed and heading taken from fix to fix as recorded. Each
 * track gets a road drawn along it (every fifth fix), as a bus route follows its road.
 */
const longshan: LatLon = { lat: 30.1878, lon: 121.5441 }
const startTs = new Date('2026-03-02T07:00:00+08:00')
const { overSpeedToleranceKmh } = defaultEventRuleOptions

function rowsOfTrack(trackId: string): PositionRow[] {
  const track = shiftTrack(readPolandTracks().get(trackId)!, longshan)
  return toPositionRows(track, { busId: 'B1', startTs, intervalS: 1 })
}

/** Roads along the rows: consecutive stretches [fromFix, toFix) with their own attributes. */
function roadsAlong(rows: PositionRow[], stretches: { toFix: number; way: Partial<RoadWay> }[]) {
  let fromFix = 0
  const ways = stretches.map(({ toFix, way }, i): RoadWay => {
    const coords = rows
      .slice(fromFix, Math.min(toFix, rows.length - 1) + 1)
      .filter((_, k, all) => k % 5 === 0 || k === all.length - 1)
      .map((row): [number, number] => [row.lon, row.lat])
    fromFix = toFix
    return { id: `w${i}`, roadClass: 'secondary', coords, speedKmh: 40, oneway: false, ...way }
  })
  return createRoadAtPointIndex(buildRoadGraph({ source: 'test: roads along a real track', ways }))
}

function derive(rows: PositionRow[], roads: ReturnType<typeof roadsAlong>, stops: ScheduledStop[] = []) {
  const trips = createTripCalendar({
    tripLeadS: 600,
    tripGraceS: 1800,
    loadTrips: async () => (stops.length > 0 ? [{ id: 'T1', busId: 'B1', stops }] : []),
  })
  const events = new Map<string, DerivedEvent>()
  const rules = createBusEventRules({
    roads,
    trips,
    rules: defaultEventRuleOptions,
    emit: (event) => events.set(`${event.kind} ${event.ts.toISOString()}`, event),
  })
  return trips.prepare([startTs], startTs).then(() => {
    rules.observe({ positions: rows, limiterStates: [] })
    rules.tick(new Date(rows.at(-1)!.ts.getTime() + 60_000))
    return [...events.values()].sort((a, b) => a.ts.getTime() - b.ts.getTime())
  })
}

/** The mean speed over each `windowS` of fixes, from where the bus was at both ends: noise averages out. */
function windowSpeedsKmh(rows: PositionRow[], windowS: number): number[] {
  return rows.slice(windowS).map((row, i) => {
    const before = rows[i]!
    return (haversineM(before.lat, before.lon, row.lat, row.lon) / windowS) * 3.6
  })
}

const indexAt = (rows: PositionRow[], iso: string | null) =>
  rows.findIndex((row) => row.ts.toISOString() === iso)

describe('derived events on real GPS noise', () => {
  it('raises no over-speed on a bus whose true speed stays under the posted 50 km/h, however noisy its fixes', async () => {
    const rows = rowsOfTrack('7')
    const limitKmh = 50
    const noisyFixes = rows.filter((row) => row.speedKmh > limitKmh + overSpeedToleranceKmh)
    expect(noisyFixes.length).toBeGreaterThan(10)
    expect(Math.max(...windowSpeedsKmh(rows, 10))).toBeLessThan(limitKmh + overSpeedToleranceKmh)

    const events = await derive(rows, roadsAlong(rows, [{ toFix: rows.length, way: { maxSpeedKmh: 50 } }]))
    expect(events.filter((e) => e.kind === 'over_speed')).toEqual([])
  })

  it('raises one event per real over-speed episode, each with its peak and end', async () => {
    const rows = rowsOfTrack('16')
    const thresholdKmh = 60 + overSpeedToleranceKmh
    const events = (await derive(rows, roadsAlong(rows, [{ toFix: rows.length, way: {} }]))).filter(
      (e) => e.kind === 'over_speed',
    )
    expect(events.length).toBeGreaterThanOrEqual(1)

    const covered = new Set<number>()
    let previousEnd = -1
    for (const event of events) {
      const first = indexAt(rows, event.ts.toISOString())
      const last = indexAt(rows, event.details.endTs)
      expect(last - first).toBeGreaterThanOrEqual(defaultEventRuleOptions.overSpeedMinDurationS)
      expect(first).toBeGreaterThan(previousEnd)
      previousEnd = last
      const fastest = Math.max(...rows.slice(first, last + 1).map((row) => row.speedKmh))
      expect(event.details).toMatchObject({ peakKmh: fastest, limitKmh: 60, roadClass: 'secondary' })
      for (let i = first; i <= last; i++) covered.add(i)
    }
    // Wherever the bus truly went over for 10 s, an episode covers that time.
    const sustained = windowSpeedsKmh(rows, 10)
      .map((kmh, i) => ({ kmh, endIndex: i + 10 }))
      .filter(({ kmh }) => kmh > thresholdKmh + 5)
    expect(sustained.length).toBeGreaterThan(0)
    for (const { endIndex } of sustained) expect(covered.has(endIndex - 5)).toBe(true)
  })

  it('holds the bus to 20 km/h on a bridge along its real route', async () => {
    const rows = rowsOfTrack('7')
    const bridge = { fromFix: 200, toFix: 260 }
    const roads = roadsAlong(rows, [
      { toFix: bridge.fromFix, way: {} },
      { toFix: bridge.toFix, way: { name: 'Bridge', hazard: true } },
      { toFix: rows.length, way: {} },
    ])
    const events = (await derive(rows, roads)).filter((e) => e.kind === 'over_speed')
    expect(events).toHaveLength(1)
    const [event] = events
    expect(event!.details).toMatchObject({ limitKmh: 20, limitReason: 'hazard', roadName: 'Bridge' })
    expect(indexAt(rows, event!.ts.toISOString())).toBeGreaterThanOrEqual(bridge.fromFix - 3)
    expect(indexAt(rows, event!.ts.toISOString())).toBeLessThanOrEqual(bridge.fromFix + 3)
    expect(indexAt(rows, event!.details.endTs)).toBeGreaterThanOrEqual(bridge.toFix - 4)
    expect(indexAt(rows, event!.details.endTs)).toBeLessThanOrEqual(bridge.toFix + 3)
  })

  it('detects one arrival and one departure at each stop a real track stopped at, none where it drove past', async () => {
    const rows = rowsOfTrack('8')
    // Stops where the vehicle waited (the track's long standstills), and where it drove past at 15
    // to 27 km/h without stopping: in the exit radius longer than the dwell time, and no call.
    const standstills = findStandstills(rows, { withinM: 15, minFixes: 60 })
    expect(standstills.length).toBeGreaterThanOrEqual(4)
    const places: { fix: number; standstill?: Standstill }[] = [
      ...standstills.map((standstill) => ({ fix: (standstill.from + standstill.to) >> 1, standstill })),
      ...[300, 1200, 4000]
        .filter((fix) => standstills.every((s) => Math.abs(s.from - fix) > 150))
        .map((fix) => ({ fix })),
    ].sort((a, b) => a.fix - b.fix)
    const stops: ScheduledStop[] = places.map(({ fix }, i) => ({
      seq: i + 1,
      stopId: `ST${i + 1}`,
      lat: rows[fix]!.lat,
      lon: rows[fix]!.lon,
      arriveTime: '07:00:00',
      departTime: '09:00:00',
    }))
    const events = await derive(rows, roadsAlong(rows, [{ toFix: rows.length, way: {} }]), stops)

    const visits = events.filter((e) => e.kind === 'stop_arrival' || e.kind === 'stop_departure')
    const called = stops.filter((_, i) => places[i]!.standstill)
    expect(called.length).toBeLessThan(stops.length)
    expect(visits.map((e) => `${e.kind} ${'seq' in e.details ? e.details.seq : ''}`)).toEqual(
      called.flatMap((stop) => [`stop_arrival ${stop.seq}`, `stop_departure ${stop.seq}`]),
    )
    for (const stop of called) {
      const [arrival, departure] = visits.filter((e) => 'seq' in e.details && e.details.seq === stop.seq)
      const arrivedAt = rows[indexAt(rows, arrival!.ts.toISOString())]!
      const departedAt = rows[indexAt(rows, departure!.ts.toISOString())]!
      expect(haversineM(arrivedAt.lat, arrivedAt.lon, stop.lat, stop.lon)).toBeLessThanOrEqual(50)
      expect(haversineM(departedAt.lat, departedAt.lon, stop.lat, stop.lon)).toBeGreaterThan(75)
    }
    places.forEach(({ standstill }, i) => {
      if (!standstill) return
      const [arrival, departure] = visits.filter((e) => 'seq' in e.details && e.details.seq === i + 1)
      expect(arrival!.ts.getTime()).toBeLessThanOrEqual(rows[standstill.from]!.ts.getTime())
      expect(departure!.ts.getTime()).toBeGreaterThan(rows[standstill.to]!.ts.getTime())
    })
  })
})

interface Standstill {
  from: number
  to: number
}

/** Runs of at least `minFixes` fixes that all stay within `withinM` of the run's first fix. */
function findStandstills(rows: PositionRow[], options: { withinM: number; minFixes: number }): Standstill[] {
  const found: Standstill[] = []
  let i = 0
  while (i < rows.length) {
    let j = i
    while (
      j + 1 < rows.length &&
      haversineM(rows[i]!.lat, rows[i]!.lon, rows[j + 1]!.lat, rows[j + 1]!.lon) <= options.withinM
    )
      j++
    if (j - i + 1 >= options.minFixes) {
      found.push({ from: i, to: j })
      i = j + 1
    } else i++
  }
  return found
}
