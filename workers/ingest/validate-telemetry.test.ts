import { describe, expect, it } from 'vitest'
import type { DeadLetterReason } from '../../server/core/broker/dead-letter-reasons.js'
import { defaultValidationLimits, validateTelemetry, type ServiceArea } from './validate-telemetry.js'

/** Around Cixi's seven towns. */
const area: ServiceArea = { minLat: 29.9, maxLat: 30.45, minLon: 120.95, maxLon: 121.7 }
const now = new Date('2026-03-02T07:15:30+08:00')
const context = { knownBus: (id: string) => id.startsWith('CX'), area, now }
const good = {
  ts: '2026-03-02T07:15:02+08:00',
  lat: 30.172,
  lon: 121.2618,
  speedKmh: 34.5,
  headingDeg: 92,
  altM: 6,
  accuracyM: 8,
  ignition: true,
  seq: 18231,
}
const validate = (topic: string, payload: string | Buffer) =>
  validateTelemetry(topic, Buffer.isBuffer(payload) ? payload : Buffer.from(payload), context)
const gps = (patch: Record<string, unknown>) => JSON.stringify({ ...good, ...patch })

describe('validateTelemetry accepts', () => {
  it('a GPS report as the contract gives it', () => {
    expect(validate('bus/CX01/gps', JSON.stringify(good))).toEqual({
      kind: 'gps',
      row: {
        busId: 'CX01',
        ts: new Date('2026-03-01T23:15:02Z'),
        lat: 30.172,
        lon: 121.2618,
        speedKmh: 34.5,
        headingDeg: 92,
        altM: 6,
        accuracyM: 8,
        ignition: true,
        seq: 18231,
        terminal: null,
      },
    })
  })

  it('the terminal’s own status, keeping only the fields the contract names', () => {
    const terminal = {
      alarms: ['sos', 'video_signal_lost'],
      doorsOpen: [2],
      mileageKm: 81234.5,
      satellites: 11,
      signalStrength: 27,
      video: { signalLostChannels: [3], fatigueLevel: 40 },
    }
    const result = validate(
      'bus/CX01/gps',
      JSON.stringify({ ...good, terminal: { ...terminal, model: 'X' } }),
    )
    expect(result).toMatchObject({ kind: 'gps', row: { terminal } })
    expect((result as { row: { terminal: object } }).row.terminal).not.toHaveProperty('model')
  })

  it('epoch milliseconds, optional fields left out, and unknown extra fields', () => {
    const minimal = { ts: now.getTime() - 1000, lat: 30.17, lon: 121.26, speedKmh: 0, firmware: '2.1' }
    const result = validate('bus/CX01/gps', JSON.stringify(minimal))
    expect(result).toMatchObject({
      kind: 'gps',
      row: { ts: new Date(now.getTime() - 1000), headingDeg: null, seq: null },
    })
  })

  it('a limiter report', () => {
    expect(
      validate('bus/CX01/limiter', JSON.stringify({ ts: good.ts, limitKmh: 60, state: 'disabled' })),
    ).toEqual({
      kind: 'limiter',
      row: { busId: 'CX01', ts: new Date(good.ts), limitKmh: 60, state: 'disabled' },
    })
  })

  it('a report buffered through a blind zone and sent an hour late', () => {
    expect(validate('bus/CX01/gps', gps({ ts: '2026-03-02T06:15:30+08:00' })).kind).toBe('gps')
  })
})

const rejected: [string, string, string | Buffer, DeadLetterReason][] = [
  ['an oversized payload', 'bus/CX01/gps', gps({ note: 'x'.repeat(5000) }), 'oversized_payload'],
  ['a topic outside the contract', 'bus/CX01/position', JSON.stringify(good), 'unknown_topic'],
  ['a topic with extra levels', 'bus/CX01/gps/extra', JSON.stringify(good), 'unknown_topic'],
  ['a bus not in the fleet', 'bus/ZZ99/gps', JSON.stringify(good), 'unknown_bus'],
  ['broken JSON', 'bus/CX01/gps', '{"ts": "2026-03-02T07:15:02+08:00", "lat": 30.1', 'malformed_json'],
  ['a NaN literal', 'bus/CX01/gps', '{"ts": 1, "lat": NaN, "lon": 121.2, "speedKmh": 1}', 'malformed_json'],
  ['bytes that are not text', 'bus/CX01/gps', Buffer.from([0xff, 0xfe, 0x00, 0x81]), 'malformed_json'],
  ['a JSON array', 'bus/CX01/gps', '[30.17, 121.26]', 'malformed_json'],
  ['JSON null', 'bus/CX01/gps', 'null', 'malformed_json'],
  ['an empty payload', 'bus/CX01/gps', '', 'malformed_json'],
  ['a payload for another bus', 'bus/CX01/gps', gps({ busId: 'CX02' }), 'topic_mismatch'],
  [
    'a limiter report on the gps topic',
    'bus/CX01/gps',
    JSON.stringify({ ts: good.ts, state: 'active' }),
    'topic_mismatch',
  ],
  ['a gps report on the limiter topic', 'bus/CX01/limiter', JSON.stringify(good), 'topic_mismatch'],
  ['no timestamp', 'bus/CX01/gps', gps({ ts: undefined }), 'missing_field'],
  ['no longitude', 'bus/CX01/gps', gps({ lon: undefined }), 'missing_field'],
  ['no limiter state', 'bus/CX01/limiter', JSON.stringify({ ts: good.ts, limitKmh: 60 }), 'missing_field'],
  ['a latitude as a string', 'bus/CX01/gps', gps({ lat: '30.172' }), 'wrong_type'],
  ['NaN as a string', 'bus/CX01/gps', gps({ speedKmh: 'NaN' }), 'wrong_type'],
  ['a timestamp without offset', 'bus/CX01/gps', gps({ ts: '2026-03-02T07:15:02' }), 'wrong_type'],
  ['a timestamp that is not a time', 'bus/CX01/gps', gps({ ts: 'yesterday' }), 'wrong_type'],
  ['ignition as a number', 'bus/CX01/gps', gps({ ignition: 1 }), 'wrong_type'],
  [
    'an unknown limiter state',
    'bus/CX01/limiter',
    JSON.stringify({ ts: good.ts, state: 'off' }),
    'wrong_type',
  ],
  ['a negative speed', 'bus/CX01/gps', gps({ speedKmh: -3 }), 'out_of_range'],
  ['a heading past 360', 'bus/CX01/gps', gps({ headingDeg: 361 }), 'out_of_range'],
  ['a latitude beyond the pole', 'bus/CX01/gps', gps({ lat: 95, lon: 10 }), 'out_of_range'],
  ['latitude and longitude swapped', 'bus/CX01/gps', gps({ lat: 121.2618, lon: 30.172 }), 'swapped_lat_lon'],
  ['the (0, 0) of a terminal without a fix', 'bus/CX01/gps', gps({ lat: 0, lon: 0 }), 'null_island'],
  ['a point far from Cixi', 'bus/CX01/gps', gps({ lat: 52.23, lon: 21.01 }), 'outside_service_area'],
  ['a time an hour ahead', 'bus/CX01/gps', gps({ ts: '2026-03-02T08:15:30+08:00' }), 'future_timestamp'],
  [
    'epoch seconds read as 1970',
    'bus/CX01/gps',
    gps({ ts: Math.floor(now.getTime() / 1000) }),
    'stale_timestamp',
  ],
  ['a report from last month', 'bus/CX01/gps', gps({ ts: '2026-02-01T07:15:02+08:00' }), 'stale_timestamp'],
  ['a school bus at 240 km/h', 'bus/CX01/gps', gps({ speedKmh: 240 }), 'impossible_speed'],
  ['a report four days old', 'bus/CX01/gps', gps({ ts: '2026-02-26T07:15:02+08:00' }), 'stale_timestamp'],
  ['a time JavaScript cannot represent', 'bus/CX01/gps', gps({ ts: 8640000000000001 }), 'out_of_range'],
  [
    'a limiter report at a time JavaScript cannot represent',
    'bus/CX01/limiter',
    JSON.stringify({ ts: -8640000000000001, state: 'active' }),
    'out_of_range',
  ],
  [
    'text that is not UTF-8 inside a field',
    'bus/CX01/gps',
    Buffer.concat([Buffer.from(gps({ firmware: '' }).slice(0, -2)), Buffer.from([0xc3, 0x28, 0x22, 0x7d])]),
    'malformed_json',
  ],
  ['an accuracy the store cannot hold', 'bus/CX01/gps', gps({ accuracyM: 1e39 }), 'out_of_range'],
  [
    'an alarm the contract does not name',
    'bus/CX01/gps',
    gps({ terminal: { alarms: ['fire'] } }),
    'wrong_type',
  ],
  ['a door numbered 0', 'bus/CX01/gps', gps({ terminal: { doorsOpen: [0] } }), 'out_of_range'],
  [
    'a fatigue level past 100',
    'bus/CX01/gps',
    gps({ terminal: { video: { fatigueLevel: 101 } } }),
    'out_of_range',
  ],
]

describe('validateTelemetry refuses, with a reason', () => {
  it.each(rejected)('%s', (_name, topic, payload, reason) => {
    const result = validate(topic, payload)
    expect(result).toMatchObject({ kind: 'rejected', reason })
    expect(result.kind === 'rejected' && result.detail.length > 0).toBe(true)
  })

  it('times outside years 1 to 9999, however lax the age and future limits', () => {
    const lax = {
      ...context,
      limits: { ...defaultValidationLimits, maxAgeS: Infinity, maxFutureS: Infinity },
    }
    for (const iso of ['+010000-01-01T00:00:00Z', '-000001-01-01T00:00:00Z']) {
      const ts = Date.parse(iso)
      expect(validateTelemetry('bus/CX01/gps', Buffer.from(gps({ ts })), lax)).toMatchObject({
        kind: 'rejected',
        reason: 'out_of_range',
      })
    }
    expect(validateTelemetry('bus/CX01/gps', Buffer.from(gps({ ts: 0 })), lax).kind).toBe('gps')
  })

  it('names the field at fault', () => {
    expect(validate('bus/CX01/gps', gps({ lat: '30.172' }))).toMatchObject({
      detail: expect.stringMatching(/^lat: /),
    })
    expect(validate('bus/CX01/gps', gps({ lon: undefined }))).toMatchObject({ detail: 'lon: required' })
  })
})
