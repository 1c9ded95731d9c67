import { describe, expect, it } from 'vitest'
import { GeoError } from '../geo-error.js'
import { buildGtfsFeed, quoteCsvField } from './gtfs-feed.js'
import { parseCsv, validateFeed } from '../../test/support/gtfs-feed-checks.js'
import { defaultPlanSettings, type PlanInput, type PlanMetrics, type PlanResult } from './plan-model.js'

const metrics: PlanMetrics = {
  pupils: 3,
  pupilsServed: 3,
  coverageWithinWalk: 1,
  meanWalkM: 100,
  maxWalkM: 150,
  meanRideS: 300,
  maxRideS: 400,
  buses: 1,
  busKmPerDay: 10,
  busHoursPerDay: 1,
  seatUse: 0.1,
  costPerDayYuan: 500,
  parts: [],
}

const input: PlanInput = {
  pupils: [],
  schools: [
    {
      id: 'school-a',
      name: '实验小学',
      location: { lat: 30.17, lon: 121.26 },
      startTimes: [{ grade: 3, timeS: 28_500 }],
      dismissalWaves: [{ id: 'w1', name: '放学', timeS: 54_000, grades: [3] }],
    },
  ],
  hubs: [{ id: 'hub-1', name: '西站, "北口"', location: { lat: 30.172, lon: 121.24 } }],
  fleet: [],
  depots: [],
  settings: defaultPlanSettings,
}

const result: PlanResult = {
  stops: [
    {
      id: 'stop-001',
      name: '新潮路站',
      location: { lat: 30.171, lon: 121.25 },
      pupilIds: ['p1', 'p2', 'p3'],
      schoolIds: ['school-a'],
      maxWalkM: 150,
    },
  ],
  unserved: [],
  hubs: input.hubs,
  lines: [
    {
      id: 'mb-hub-1',
      name: '西站, "北口" 微公交',
      kind: 'micro_bus',
      busTypeId: 'micro-bus',
      stopIds: ['hub-1', 'stop-001', 'school-a'],
      schoolIds: ['school-a'],
      tripIds: ['am', 'pm'],
      geometry: {
        type: 'LineString',
        coordinates: [
          [121.24, 30.172],
          [121.25, 30.171],
          [121.26, 30.17],
        ],
      },
    },
  ],
  trips: [
    {
      id: 'am',
      lineId: 'mb-hub-1',
      direction: 'to_school',
      schoolIds: ['school-a'],
      waveId: null,
      stops: [
        { stopId: 'hub-1', arriveS: 27_600, departS: 27_620, board: [], alight: [] },
        { stopId: 'stop-001', arriveS: 27_800, departS: 27_829, board: ['p1', 'p2', 'p3'], alight: [] },
        { stopId: 'school-a', arriveS: 28_100, departS: 28_129, board: [], alight: ['p1', 'p2', 'p3'] },
      ],
      distanceM: 2500,
      durationS: 480,
    },
    {
      id: 'pm',
      lineId: 'mb-hub-1',
      direction: 'from_school',
      schoolIds: ['school-a'],
      waveId: 'w1',
      stops: [
        { stopId: 'school-a', arriveS: 86_000, departS: 86_029, board: ['p1', 'p2', 'p3'], alight: [] },
        { stopId: 'stop-001', arriveS: 86_300, departS: 86_329, board: [], alight: ['p1', 'p2', 'p3'] },
        { stopId: 'hub-1', arriveS: 86_500, departS: 86_520, board: [], alight: [] },
      ],
      distanceM: 2500,
      durationS: 471,
    },
  ],
  vehicles: [{ id: 'bus-001', busTypeId: 'micro-bus', tripIds: ['am', 'pm'] }],
  metrics,
  comparisons: [],
  shiftProposal: null,
}

const options = { agencyName: '慈溪市教育局', startDate: '20260901', endDate: '20270115' }

describe('buildGtfsFeed', () => {
  it('writes a feed in which every referenced id exists and times increase along each trip', () => {
    const files = buildGtfsFeed(result, input, options)
    validateFeed(files)
    expect(parseCsv(files['stops.txt']!).map((s) => s.stop_name)).toEqual([
      '西站, "北口"',
      '实验小学',
      '新潮路站',
    ])
    expect(parseCsv(files['stop_times.txt']!).find((s) => s.trip_id === 'pm')!.arrival_time).toBe('23:53:20')
  })

  it('runs a micro-bus line home on its shape reversed', () => {
    const files = buildGtfsFeed(result, input, options)
    const trips = parseCsv(files['trips.txt']!)
    const shapeOf = (tripId: string) => trips.find((t) => t.trip_id === tripId)!.shape_id!
    const points = (shapeId: string) => parseCsv(files['shapes.txt']!).filter((p) => p.shape_id === shapeId)
    expect(points(shapeOf('pm')).map((p) => p.shape_pt_lon)).toEqual(
      points(shapeOf('am'))
        .map((p) => p.shape_pt_lon)
        .reverse(),
    )
  })

  it('writes times after midnight as hours past 24', () => {
    const late = structuredClone(result)
    late.trips[1]!.stops[2] = { ...late.trips[1]!.stops[2]!, arriveS: 86_500 + 400, departS: 86_500 + 420 }
    const files = buildGtfsFeed(late, input, options)
    validateFeed(files)
    expect(files['stop_times.txt']).toContain('pm,24:08:20,24:08:40,hub-1,3')
  })

  it('refuses dates that are not YYYYMMDD or run backwards', () => {
    expect(() => buildGtfsFeed(result, input, { ...options, startDate: '2026-09-01' })).toThrow(GeoError)
    expect(() => buildGtfsFeed(result, input, { ...options, endDate: '20260801' })).toThrow(GeoError)
  })

  it('quotes CSV fields only when they need it', () => {
    expect(quoteCsvField('plain')).toBe('plain')
    expect(quoteCsvField('a,b')).toBe('"a,b"')
    expect(quoteCsvField('say "hi"')).toBe('"say ""hi"""')
    expect(quoteCsvField('two\nlines')).toBe('"two\nlines"')
    expect(quoteCsvField(3)).toBe('3')
  })
})
