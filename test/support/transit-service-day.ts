import type { TransitServiceDay } from '../../server/core/store/transit-service-queries.js'
import type { LiveBusSnapshot } from '../../server/http/transit/live-bus-snapshot.js'

const at = (hhmmss: string) => {
  const [h, m, s] = hhmmss.split(':').map(Number)
  return h! * 3600 + m! * 60 + (s ?? 0)
}

/** The instant of a local time on the sample's Monday. */
export const mondayAt = (hhmmss: string) => new Date(`2026-03-02T${hhmmss}+08:00`)

/**
 * A Monday of two published lines: micro-bus 微1 runs L1-am1 (07:00–07:15, four calls) and L1-pm1
 * on bus MB1, whose school-bus run SB-early (06:20–06:57) is not published; the custom-bus line
 * runs L2-am1 with no bus assigned and no operator named.
 */
export function sampleServiceDay(): TransitServiceDay {
  return {
    date: '2026-03-02',
    lines: [
      { id: 'L1', name: '微1', kind: 'micro_bus', operator: '慈溪公交' },
      { id: 'L2', name: '界牌社区—实验小学南校区定制公交', kind: 'custom_bus', operator: null },
    ],
    trips: [
      {
        id: 'L1-am1',
        lineId: 'L1',
        busId: 'MB1',
        busPlate: '浙B·D0001',
        busOperator: '慈溪公交',
        direction: 'to_school',
        calls: [
          { seq: 1, stopId: 'HUB', arriveS: at('07:00:00'), departS: at('07:00:30') },
          { seq: 2, stopId: 'ST2', arriveS: at('07:05:00'), departS: at('07:05:30') },
          { seq: 3, stopId: 'ST3', arriveS: at('07:10:00'), departS: at('07:10:30') },
          { seq: 4, stopId: 'GATE', arriveS: at('07:15:00'), departS: at('07:16:00') },
        ],
      },
      {
        id: 'L1-pm1',
        lineId: 'L1',
        busId: 'MB1',
        busPlate: '浙B·D0001',
        busOperator: '慈溪公交',
        direction: 'from_school',
        calls: [
          { seq: 1, stopId: 'GATE', arriveS: at('16:00:00'), departS: at('16:02:00') },
          { seq: 2, stopId: 'HUB', arriveS: at('16:15:00'), departS: at('16:15:00') },
        ],
      },
      {
        id: 'L2-am1',
        lineId: 'L2',
        busId: null,
        busPlate: null,
        busOperator: null,
        direction: 'to_school',
        calls: [
          { seq: 1, stopId: 'ST2', arriveS: at('07:20:00'), departS: at('07:21:00') },
          { seq: 2, stopId: 'GATE', arriveS: at('07:35:00'), departS: at('07:36:00') },
        ],
      },
    ],
    stops: [
      { id: 'GATE', name: '实验小学', lat: 30.17, lon: 121.26 },
      { id: 'HUB', name: '西站, "北口"', lat: 30.172, lon: 121.24 },
      { id: 'ST2', name: '文昌路', lat: 30.1715, lon: 121.245 },
      { id: 'ST3', name: '青湖路', lat: 30.171, lon: 121.25 },
    ],
    otherRunsOfTheirBuses: [
      { tripId: 'SB-early', busId: 'MB1', firstArriveS: at('06:20:00'), lastDepartS: at('06:57:00') },
    ],
  }
}

/**
 * MB1's live state at 07:06 on L1-am1: its newest fix, HUB and ST2 passed, ST3 expected at
 * 07:10:20, GATE unknown.
 */
export function sampleSnapshot(overrides: Partial<LiveBusSnapshot> = {}): LiveBusSnapshot {
  return {
    position: { ts: '2026-03-01T23:05:50.000Z', lat: 30.1712, lon: 121.248, speedKmh: 36, headingDeg: 95 },
    tripId: 'L1-am1',
    eta: {
      status: 'on_route',
      lastReportTs: '2026-03-01T23:05:50.000Z',
      nextSeq: 3,
      stops: [
        { seq: 1, stopId: 'HUB', etaTs: '2026-03-01T23:00:40.000Z', passed: true },
        { seq: 2, stopId: 'ST2', etaTs: '2026-03-01T23:05:10.000Z', passed: true },
        { seq: 3, stopId: 'ST3', etaTs: '2026-03-01T23:10:20.000Z', passed: false },
        { seq: 4, stopId: 'GATE', etaTs: null, passed: false },
      ],
    },
    ...overrides,
  }
}
