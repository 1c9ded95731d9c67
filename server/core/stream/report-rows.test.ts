import { describe, expect, it } from 'vitest'
import { toCommittedBatch, type ReportRow } from './report-rows.js'

const row = (kind: ReportRow['kind'], busId: string, iso: string): ReportRow => ({
  kind,
  bus_id: busId,
  ts: new Date(iso),
  lat: kind === 'gps' ? 30.1 : null,
  lon: kind === 'gps' ? 121.2 : null,
  speed_kmh: kind === 'gps' ? 40 : null,
  heading_deg: null,
  alt_m: null,
  accuracy_m: null,
  ignition: null,
  seq: null,
  terminal: kind === 'gps' ? { alarms: ['sos'] } : null,
  limit_kmh: kind === 'limiter' ? 60 : null,
  state: kind === 'limiter' ? 'disabled' : null,
})

describe('reports as a committed batch', () => {
  it('orders each kind by bus, then time', () => {
    const batch = toCommittedBatch([
      row('gps', 'B2', '2026-03-02T07:00:02Z'),
      row('gps', 'B1', '2026-03-02T07:00:05Z'),
      row('limiter', 'B1', '2026-03-02T07:00:03Z'),
      row('gps', 'B2', '2026-03-02T07:00:01Z'),
      row('gps', 'B1', '2026-03-02T07:00:04Z'),
    ])
    expect(batch.positions.map((p) => `${p.busId} ${p.ts.toISOString()}`)).toEqual([
      'B1 2026-03-02T07:00:04.000Z',
      'B1 2026-03-02T07:00:05.000Z',
      'B2 2026-03-02T07:00:01.000Z',
      'B2 2026-03-02T07:00:02.000Z',
    ])
    expect(batch.limiterStates).toEqual([
      { busId: 'B1', ts: new Date('2026-03-02T07:00:03Z'), limitKmh: 60, state: 'disabled' },
    ])
    expect(batch.positions[0]).toMatchObject({
      lat: 30.1,
      lon: 121.2,
      speedKmh: 40,
      seq: null,
      terminal: { alarms: ['sos'] },
    })
  })
})
