import { describe, expect, it } from 'vitest'
import type { ReportLabels } from '../store/report-day-queries.js'
import { emptyMeasures, type BusDay, type DayMeasures, type TripDay } from './report-measures.js'
import { reportPeriod } from './report-period.js'
import { rollUpReport, type Report } from './roll-up-report.js'

const labels: ReportLabels = {
  buses: [
    { id: 'B1', plate: '浙B·1', townId: 'north' },
    { id: 'B2', plate: '浙B·2', townId: 'north' },
    { id: 'B3', plate: '浙B·3', townId: 'south' },
  ],
  staff: [
    { id: 'D1', name: '陈师傅', role: 'driver' },
    { id: 'D2', name: '王师傅', role: 'driver' },
  ],
  schools: [{ id: 'S1', nameZh: '一小', nameEn: 'First Primary' }],
  towns: [
    { id: 'north', nameZh: '北镇', nameEn: 'North' },
    { id: 'south', nameZh: '南镇', nameEn: 'South' },
  ],
}
const month = reportPeriod('month', '2026-03')!

const measures = (patch: Partial<DayMeasures>): DayMeasures => ({ ...emptyMeasures(), ...patch })
const busDay = (
  date: string,
  busId: string,
  driverId: string | null,
  townId: string,
  patch: Partial<BusDay> = {},
): BusDay => ({
  ...measures({ tripsRun: 2, distanceM: 10_000, movingS: 1800 }),
  date,
  busId,
  driverId,
  attendantId: null,
  townId,
  reports: 3600,
  maxSpeedKmh: 50,
  ...patch,
})

const row = (report: Report, id: string | null) => report.rows.find((r) => r.id === id)!

describe('rollUpReport', () => {
  const days: BusDay[] = [
    busDay('2026-03-02', 'B1', 'D1', 'north', {
      schoolCallsOnTime: 1,
      schoolCallsLate: 1,
      overSpeedEpisodes: 2,
      overSpeedByRoad: { primary: 1, unknown: 1 },
      overSpeedS: 90,
      alarms: {
        over_speed: { count: 2, acknowledged: 2, acknowledgeS: 600, closed: 1, closeS: 3600 },
      },
      pupilIds: ['P1', 'P2'],
      pupilRides: 4,
      maxSpeedKmh: 64,
    }),
    busDay('2026-03-03', 'B1', 'D2', 'north', {
      schoolCallsOnTime: 2,
      routeViolations: { stop_skipped: 1 },
      alarms: {
        over_speed: { count: 1, acknowledged: 0, acknowledgeS: 0, closed: 0, closeS: 0 },
        stop_skipped: { count: 1, acknowledged: 1, acknowledgeS: 120, closed: 1, closeS: 1200 },
      },
      pupilIds: ['P2', 'P3'],
      pupilRides: 3,
    }),
    busDay('2026-03-02', 'B3', null, 'south', {
      limiterOffS: 300,
      silentS: 90,
      pupilIds: ['P9'],
      pupilRides: 1,
    }),
    // A bus standing all day: not a day in service.
    busDay('2026-03-04', 'B2', 'D1', 'north', { tripsRun: 0, distanceM: 0, movingS: 0 }),
  ]

  it('adds up a bus over its days, counting each pupil once and rating its school calls', () => {
    const report = rollUpReport({ period: month, by: 'bus', days, labels })
    expect(report.rows.map((r) => r.id)).toEqual(['B1', 'B2', 'B3'])
    expect(row(report, 'B1')).toMatchObject({
      name: '浙B·1',
      town: '北镇',
      days: 2,
      tripsRun: 4,
      km: 20,
      movingMinutes: 60,
      maxSpeedKmh: 64,
      schoolCallsOnTime: 3,
      schoolCallsLate: 1,
      onTimeRate: 75,
      overSpeedEpisodes: 2,
      'overSpeed.primary': 1,
      'overSpeed.unknown': 1,
      overSpeedMinutes: 1.5,
      routeViolations: 1,
      'route.stop_skipped': 1,
      'route.route_off_corridor': 0,
      alarms: 4,
      'alarms.over_speed': 3,
      'alarms.stop_skipped': 1,
      alarmsAcknowledged: 3,
      // (600 + 120) s over three acknowledgements
      acknowledgeMinutes: 4,
      alarmsClosed: 2,
      closeMinutes: 40,
      pupilsCarried: 3,
      pupilRides: 7,
    })
    expect(row(report, 'B2')).toMatchObject({
      days: 0,
      tripsRun: 0,
      onTimeRate: null,
      acknowledgeMinutes: null,
    })
  })

  it('totals every row, a pupil on several buses once', () => {
    const report = rollUpReport({ period: month, by: 'bus', days, labels })
    expect(report.totals).toMatchObject({
      name: '合计 total',
      tripsRun: 6,
      km: 30,
      limiterOffMinutes: 5,
      silentMinutes: 1.5,
      pupilsCarried: 4,
      pupilRides: 8,
      maxSpeedKmh: 64,
    })
  })

  it('groups by the driver of each day, the day without one apart and last', () => {
    const report = rollUpReport({ period: month, by: 'driver', days, labels })
    expect(report.rows.map((r) => [r.id, r.name, r.tripsRun])).toEqual([
      ['D1', '陈师傅', 2],
      ['D2', '王师傅', 2],
      [null, '未登记 not registered', 2],
    ])
  })

  it('groups by town and makes the county one row, equal to the totals', () => {
    const towns = rollUpReport({ period: month, by: 'town', days, labels })
    expect(towns.rows.map((r) => [r.id, r.name, r.km])).toEqual([
      ['north', '北镇', 20],
      ['south', '南镇', 10],
    ])
    const county = rollUpReport({ period: month, by: 'county', days, labels })
    expect(county.rows).toHaveLength(1)
    const { id: _id, name: _name, ...countyValues } = county.rows[0]!
    const { id: _tid, name: _tname, ...totalValues } = county.totals
    expect(countyValues).toEqual(totalValues)
  })

  it('names only the road classes and alarm kinds that occur, the route violations always', () => {
    const report = rollUpReport({ period: month, by: 'county', days, labels })
    const keys = report.columns.map((c) => c.key)
    expect(keys.filter((k) => k.startsWith('overSpeed.'))).toEqual(['overSpeed.primary', 'overSpeed.unknown'])
    expect(keys.filter((k) => k.startsWith('route.'))).toEqual([
      'route.route_off_corridor',
      'route.stop_skipped',
      'route.stop_unapproved',
    ])
    expect(keys.filter((k) => k.startsWith('alarms.'))).toEqual(['alarms.over_speed', 'alarms.stop_skipped'])
    expect(report.columns.find((c) => c.key === 'overSpeed.primary')).toMatchObject({
      zh: '超速·主干道',
      en: 'over-speed, primary road',
      group: 'overSpeedByRoad',
    })
    for (const r of [...report.rows, report.totals]) expect(Object.keys(r)).toEqual(keys)
  })

  it('gives the county one empty row for a period with nothing in it', () => {
    const report = rollUpReport({ period: month, by: 'county', days: [], labels })
    expect(report.rows).toEqual([expect.objectContaining({ name: '全县 county', tripsRun: 0, km: 0 })])
    expect(rollUpReport({ period: month, by: 'bus', days: [], labels }).rows).toEqual([])
  })

  it('groups trip days by school, without a top speed', () => {
    const tripDay = (tripId: string, schoolId: string | null, patch: Partial<TripDay>): TripDay => ({
      ...measures({ tripsRun: 1, distanceM: 5000 }),
      date: '2026-03-02',
      tripId,
      busId: 'B1',
      driverId: 'D1',
      attendantId: null,
      schoolId,
      direction: 'to_school',
      plannedSchoolAt: null,
      arrivedSchoolAt: null,
      ...patch,
    })
    const report = rollUpReport({
      period: month,
      by: 'school',
      days: [
        tripDay('T1', 'S1', { schoolCallsOnTime: 1, pupilIds: ['P1'], pupilRides: 1 }),
        tripDay('T2', 'S1', { schoolCallsUnseen: 1, pupilIds: ['P1'], pupilRides: 1 }),
      ],
      labels,
    })
    expect(report.rows).toEqual([
      expect.objectContaining({
        id: 'S1',
        name: '一小',
        tripsRun: 2,
        km: 10,
        schoolCallsOnTime: 1,
        schoolCallsUnseen: 1,
        onTimeRate: 100,
        pupilsCarried: 1,
        pupilRides: 2,
      }),
    ])
    expect(report.columns.some((c) => c.key === 'maxSpeedKmh')).toBe(false)
  })
})
