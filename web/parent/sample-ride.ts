import type { TripEta } from '../shared/bus-live-contract.js'
import type { Ride, RideStop } from './parent-contract.js'

/** A morning trip of three stops for the tests: the child gets on at the second, 07:20. */
export function sampleRide(overrides: Partial<Ride> = {}): Ride {
  const stops: RideStop[] = [
    { seq: 1, stopId: 'v10', name: '上林村', lat: 30.2, lon: 121.3, scheduledTime: '07:10' },
    { seq: 2, stopId: 'v04', name: '龙山村', lat: 30.21, lon: 121.32, scheduledTime: '07:20' },
    { seq: 3, stopId: 'gate', name: '龙山小学', lat: 30.22, lon: 121.35, scheduledTime: '07:40' },
  ]
  return {
    tripId: 'bus-01-am1',
    date: '2026-03-02',
    direction: 'to_school',
    busId: 'bus-01',
    plate: '浙B·A1234',
    boardStop: stops[1]!,
    alightStop: stops[2]!,
    stops,
    route: { type: 'LineString', coordinates: stops.map((s) => [s.lon, s.lat]) },
    visibleFrom: '2026-03-01T22:55:00.000Z',
    visibleUntil: '2026-03-02T00:10:00.000Z',
    live: true,
    boardings: [],
    ...overrides,
  }
}

/** An ETA for `sampleRide` with the bus between the first and second stops. */
export function sampleEta(overrides: Partial<TripEta> & { childEtaTs?: string | null } = {}): TripEta {
  const { childEtaTs = '2026-03-02T07:24:00+08:00', ...rest } = overrides
  return {
    status: 'on_route',
    lastReportTs: '2026-03-02T07:19:50+08:00',
    progressM: 1200,
    nextSeq: 2,
    stops: [
      { seq: 1, stopId: 'v10', etaTs: '2026-03-02T07:11:00+08:00', etaS: null, passed: true },
      { seq: 2, stopId: 'v04', etaTs: childEtaTs, etaS: 240, passed: false },
      { seq: 3, stopId: 'gate', etaTs: '2026-03-02T07:45:00+08:00', etaS: 1500, passed: false },
    ],
    ...rest,
  }
}
