import { describe, expect, it } from 'vitest'
import { parseCsv } from '../../../test/support/gtfs-feed-checks.js'
import { sampleServiceDay } from '../../../test/support/transit-service-day.js'
import { buildTodayGtfsFiles } from './today-gtfs-files.js'

const road: [number, number][] = [
  [121.24, 30.172],
  [121.25, 30.171],
  [121.26, 30.17],
]

describe('buildTodayGtfsFiles', () => {
  it('writes the day’s lines, trips and calls with every reference resolved', () => {
    const files = buildTodayGtfsFiles(sampleServiceDay(), new Map([['L1-am1', road]]))
    const table = (name: string) => parseCsv(files[`${name}.txt`]!)
    expect(Object.keys(files).sort()).toEqual(
      ['agency', 'calendar_dates', 'feed_info', 'routes', 'shapes', 'stop_times', 'stops', 'trips'].map(
        (name) => `${name}.txt`,
      ),
    )
    // The custom-bus line names no operator and has no bus: the publisher stands as its agency.
    expect(table('agency').map((a) => a.agency_name)).toEqual(['慈溪公交', '慈溪市教育局'])
    expect(table('routes')).toEqual([
      expect.objectContaining({
        route_id: 'L1',
        agency_id: '慈溪公交',
        route_short_name: '微1',
        route_type: '3',
      }),
      expect.objectContaining({
        route_id: 'L2',
        agency_id: '慈溪市教育局',
        route_desc: '定制公交',
        route_type: '3',
      }),
    ])
    expect(table('calendar_dates')).toEqual([
      { service_id: '20260302', date: '20260302', exception_type: '1' },
    ])
    expect(table('feed_info')[0]).toMatchObject({ feed_start_date: '20260302', feed_end_date: '20260302' })
    const stops = new Set(table('stops').map((s) => s.stop_id))
    const trips = table('trips')
    expect(trips.map((t) => [t.trip_id, t.route_id, t.service_id, t.direction_id, t.trip_headsign])).toEqual([
      ['L1-am1', 'L1', '20260302', '0', '实验小学'],
      ['L1-pm1', 'L1', '20260302', '1', '西站, "北口"'],
      ['L2-am1', 'L2', '20260302', '0', '实验小学'],
    ])
    for (const row of table('stop_times')) expect(stops).toContain(row.stop_id)
    expect(table('stop_times').filter((s) => s.trip_id === 'L1-am1')).toEqual(
      ['HUB', 'ST2', 'ST3', 'GATE'].map((stopId, k) =>
        expect.objectContaining({ stop_id: stopId, stop_sequence: String(k + 1) }),
      ),
    )
    expect(table('stop_times')[0]).toMatchObject({ arrival_time: '07:00:00', departure_time: '07:00:30' })
  })

  it('gives a trip its road as a shape where it is known, one shape per road', () => {
    const files = buildTodayGtfsFiles(
      sampleServiceDay(),
      new Map([
        ['L1-am1', road],
        ['L2-am1', road],
      ]),
    )
    const trips = parseCsv(files['trips.txt']!)
    expect(trips.map((t) => t.shape_id)).toEqual(['L1-am1', '', 'L1-am1'])
    expect(
      parseCsv(files['shapes.txt']!).map((p) => [p.shape_id, p.shape_pt_lat, p.shape_pt_sequence]),
    ).toEqual([
      ['L1-am1', '30.172000', '1'],
      ['L1-am1', '30.171000', '2'],
      ['L1-am1', '30.170000', '3'],
    ])
    expect(buildTodayGtfsFiles(sampleServiceDay(), new Map())).not.toHaveProperty('shapes.txt')
  })

  it('is a valid feed on a day with no service', () => {
    const files = buildTodayGtfsFiles({ ...sampleServiceDay(), lines: [], trips: [], stops: [] }, new Map())
    expect(parseCsv(files['agency.txt']!)).toHaveLength(1)
    expect(parseCsv(files['trips.txt']!)).toEqual([])
  })
})
