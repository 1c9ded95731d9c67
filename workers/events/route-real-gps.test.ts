import { describe, expect, it } from 'vitest'
import { tripRouteFromLine } from '../../geo/eta/trip-route.js'
import type { LatLon, LonLatPosition } from '../../geo/lat-lon.js'
import { createLocalProjection, haversineM } from '../../geo/routing/earth-distance.js'
import type { PositionRow } from '../../server/core/broker/telemetry-rows.js'
import { defaultEventRuleOptions } from '../../server/core/schedule/event-rule-options.js'
import { runningWindow, type RunningTrip } from '../../server/core/schedule/trip-calendar.js'
import { readPolandTracks, shiftTrack, toPositionRows } from '../../test/support/real-gps-tracks.js'
import { buildApprovedPath } from './approved-path.js'
import { defaultRouteComplianceOptions } from './route-compliance-options.js'
import { deriveRouteEvents } from './route-test-trip.js'

/**
 * The route rules on real GPS fixes: tracks of the shared Poland traces moved to Longshan, one fix
 * a second. The approved path is the track itself smoothed (the mean of each half-minute), as the
 * road under it, so the fixes stray from it by what real terminals stray by, jumps included.
 */
const longshan: LatLon = { lat: 30.1878, lon: 121.5441 }
const startTs = new Date('2026-03-02T07:00:00+08:00')
const longTracks = ['0', '2', '8', '13', '15', '16', '25', '27', '28']

function smoothed(rows: readonly PositionRow[], halfWindow = 15): LonLatPosition[] {
  const line: LonLatPosition[] = []
  for (let i = 0; i < rows.length; i += 10) {
    const part = rows.slice(Math.max(0, i - halfWindow), i + halfWindow + 1)
    line.push([
      part.reduce((sum, row) => sum + row.lon, 0) / part.length,
      part.reduce((sum, row) => sum + row.lat, 0) / part.length,
    ])
  }
  const last = rows.at(-1)!
  line.push([last.lon, last.lat])
  return line
}

/** A trip from the track's first fix to its last, with the smoothed track as its approved path. */
function tripAlong(rows: readonly PositionRow[]) {
  const line = smoothed(rows)
  const ends = [line[0]!, line.at(-1)!].map(([lon, lat], i) => ({
    seq: i + 1,
    stopId: `ST${i + 1}`,
    lat,
    lon,
  }))
  const path = buildApprovedPath(tripRouteFromLine(ends, line, [rows.length]))
  const trip: RunningTrip = {
    tripId: 'T1',
    busId: 'B1',
    ...runningWindow(startTs, rows.at(-1)!.ts, defaultEventRuleOptions),
    stops: ends.map((end, i) => ({ ...end, arriveAt: i === 0 ? startTs : rows.at(-1)!.ts })),
  }
  return { trip, path }
}

const rowsOf = (trackId: string) =>
  toPositionRows(shiftTrack(readPolandTracks().get(trackId)!, longshan), {
    busId: 'B1',
    startTs,
    intervalS: 1,
  })

describe('route compliance on real GPS noise', () => {
  it('raises no detour on real tracks along their own road, however far single fixes stray', () => {
    let strayFixes = 0
    let farthestM = 0
    for (const trackId of longTracks) {
      const rows = rowsOf(trackId)
      const { trip, path } = tripAlong(rows)
      for (const row of rows) {
        const offM = path.distanceM(path.route.projection.xM(row.lon), path.route.projection.yM(row.lat))
        if (offM > 50) strayFixes++
        farthestM = Math.max(farthestM, offM)
      }
      const derived = deriveRouteEvents(rows, trip, path, { endTs: new Date(trip.endsAt.getTime() + 1000) })
      expect(derived.ofKind('route_off_corridor'), `track ${trackId}`).toEqual([])
    }
    // Hundreds of fixes farther than 50 m from the road, some beyond the corridor.
    expect(strayFixes).toBeGreaterThan(300)
    expect(farthestM).toBeGreaterThan(defaultRouteComplianceOptions.corridorM)
  })

  it('raises one detour where a real track is driven 400 m aside for a few minutes', () => {
    const rows = rowsOf('13')
    const { trip, path } = tripAlong(rows)
    // From fix 400 the bus turns off, keeps 400 m north of its road from 460 to 640, and is back by 700.
    const projection = createLocalProjection(longshan.lat, longshan.lon)
    const asideM = (i: number) => (i < 400 || i > 700 ? 0 : 400 * Math.min(1, (i - 400) / 60, (700 - i) / 60))
    const driven = rows.map((row, i) => ({ ...row, lat: projection.lat(projection.yM(row.lat) + asideM(i)) }))
    const [detour, ...others] = deriveRouteEvents(driven, trip, path, {
      endTs: new Date(trip.endsAt.getTime() + 1000),
    }).ofKind('route_off_corridor')
    expect(others).toEqual([])
    const indexOf = (ts: string) => driven.findIndex((row) => row.ts.toISOString() === ts)
    expect(indexOf(detour!.details.left.ts)).toBeGreaterThan(400)
    expect(indexOf(detour!.details.left.ts)).toBeLessThan(440)
    // The road bends north there: 350 m aside is back near the road farther along.
    expect(indexOf(detour!.details.rejoined!.ts)).toBeGreaterThan(620)
    expect(indexOf(detour!.details.rejoined!.ts)).toBeLessThan(700)
    expect(detour!.details.maxOffM).toBeGreaterThan(350)
    const [lon, lat] = detour!.details.stretch[Math.floor(detour!.details.stretch.length / 2)]!
    const middle = driven[550]!
    expect(haversineM(lat, lon, middle.lat, middle.lon)).toBeLessThan(300)
  })
})
