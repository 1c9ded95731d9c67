import type { z } from 'zod'
import { parseTelemetryTopic } from '../../server/core/broker/telemetry-topics.js'
import type { LimiterRow, PositionRow } from '../../server/core/broker/telemetry-rows.js'
import type { DeadLetterReason } from '../../server/core/broker/dead-letter-reasons.js'
import { gpsPayload, limiterPayload } from '../../server/core/broker/telemetry-payloads.js'

export interface ServiceArea {
  minLat: number
  maxLat: number
  minLon: number
  maxLon: number
}

export type ValidatedTelemetry =
  | { kind: 'gps'; row: PositionRow }
  | { kind: 'limiter'; row: LimiterRow }
  | { kind: 'rejected'; reason: DeadLetterReason; detail: string }

export interface ValidationLimits {
  maxPayloadBytes: number
  /** Terminal clocks drift; reports further ahead than this are refused. */
  maxFutureS: number
  /**
   * Terminals upload what they buffered while out of coverage; older than this is refused, so that a
   * device cannot fill in its bus's history long after the fact.
   */
  maxAgeS: number
  /** A regulation school bus cannot go faster than this. */
  maxSpeedKmh: number
}

export const defaultValidationLimits: ValidationLimits = {
  maxPayloadBytes: 4096,
  maxFutureS: 300,
  // A bus parked out of coverage from Friday afternoon uploads Friday's last trips on Monday morning.
  maxAgeS: 72 * 3600,
  maxSpeedKmh: 150,
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Times both JavaScript and the store represent and `toISOString` writes as the store reads them:
 * years 1 to 9999. `{"ts": 8640000000000001}` is no Date at all, and every comparison with its NaN
 * is false, so it would pass the age and future checks and make the store refuse the whole batch.
 */
const storableTimeMs = {
  min: Date.parse('0001-01-01T00:00:00Z'),
  max: Date.parse('9999-12-31T23:59:59.999Z'),
}

const reject = (reason: DeadLetterReason, detail: string): ValidatedTelemetry => ({
  kind: 'rejected',
  reason,
  detail,
})

/**
 * Checks one MQTT message against the telemetry contract, the fleet and the service area. Pure:
 * plausibility against earlier fixes (jumps) is checked afterwards, with the bus's history.
 */
export function validateTelemetry(
  topic: string,
  payload: Buffer,
  context: { knownBus(busId: string): boolean; area: ServiceArea; now: Date; limits?: ValidationLimits },
): ValidatedTelemetry {
  const limits = context.limits ?? defaultValidationLimits
  if (payload.length > limits.maxPayloadBytes) {
    return reject('oversized_payload', `${payload.length} bytes, at most ${limits.maxPayloadBytes}`)
  }
  const parsedTopic = parseTelemetryTopic(topic)
  if (!parsedTopic) return reject('unknown_topic', `expected bus/{busId}/gps or bus/{busId}/limiter`)
  const { busId, kind } = parsedTopic
  if (!context.knownBus(busId)) return reject('unknown_bus', `no bus ${busId} in the fleet`)

  let json: unknown
  try {
    // Decoding leniently would turn bytes that are not UTF-8 into U+FFFD and accept the report.
    json = JSON.parse(utf8.decode(payload))
  } catch (error) {
    return reject('malformed_json', (error as Error).message)
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return reject('malformed_json', 'expected a JSON object')
  }
  const body = json as Record<string, unknown>
  if (body.busId !== undefined && body.busId !== busId) {
    return reject('topic_mismatch', `payload is for bus ${String(body.busId)}, topic for ${busId}`)
  }
  if (kind === 'gps' && !('lat' in body) && 'state' in body) {
    return reject('topic_mismatch', 'a limiter report on the gps topic')
  }
  if (kind === 'limiter' && !('state' in body) && 'lat' in body) {
    return reject('topic_mismatch', 'a gps report on the limiter topic')
  }

  if (kind === 'limiter') {
    const result = limiterPayload.safeParse(body)
    if (!result.success) return rejectSchema(result.error, body)
    const ts = checkTime(result.data.ts, context.now, limits)
    if (ts instanceof Date) {
      return {
        kind: 'limiter',
        row: { busId, ts, limitKmh: result.data.limitKmh ?? null, state: result.data.state },
      }
    }
    return ts
  }

  const result = gpsPayload.safeParse(body)
  if (!result.success) return rejectSchema(result.error, body)
  const gps = result.data
  const place = checkPlace(gps.lat, gps.lon, context.area)
  if (place) return place
  if (gps.speedKmh > limits.maxSpeedKmh) {
    return reject(
      'impossible_speed',
      `${gps.speedKmh} km/h, a school bus reaches at most ${limits.maxSpeedKmh}`,
    )
  }
  const ts = checkTime(gps.ts, context.now, limits)
  if (!(ts instanceof Date)) return ts
  return {
    kind: 'gps',
    row: {
      busId,
      ts,
      lat: gps.lat,
      lon: gps.lon,
      speedKmh: gps.speedKmh,
      headingDeg: gps.headingDeg ?? null,
      altM: gps.altM ?? null,
      accuracyM: gps.accuracyM ?? null,
      ignition: gps.ignition ?? null,
      seq: gps.seq ?? null,
      terminal: gps.terminal ?? null,
    },
  }
}

function rejectSchema(error: z.ZodError, body: Record<string, unknown>): ValidatedTelemetry {
  const issue = error.issues[0]!
  const field = issue.path.join('.') || '(payload)'
  const missing = issue.path.length === 1 && body[String(issue.path[0])] === undefined
  const reason: DeadLetterReason = missing
    ? 'missing_field'
    : issue.code === 'too_small' || issue.code === 'too_big'
      ? 'out_of_range'
      : 'wrong_type'
  return reject(reason, `${field}: ${missing ? 'required' : issue.message}`)
}

function inside(lat: number, lon: number, area: ServiceArea): boolean {
  return lat >= area.minLat && lat <= area.maxLat && lon >= area.minLon && lon <= area.maxLon
}

function checkPlace(lat: number, lon: number, area: ServiceArea): ValidatedTelemetry | undefined {
  if (lat === 0 && lon === 0) return reject('null_island', '(0, 0): the terminal has no fix')
  if (!inside(lat, lon, area) && inside(lon, lat, area)) {
    return reject('swapped_lat_lon', `lat ${lat} and lon ${lon} are swapped`)
  }
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180)
    return reject('out_of_range', `(${lat}, ${lon}) is not on Earth`)
  if (!inside(lat, lon, area))
    return reject('outside_service_area', `(${lat}, ${lon}) is outside the service area`)
  return undefined
}

function checkTime(ts: string | number, now: Date, limits: ValidationLimits): Date | ValidatedTelemetry {
  const at = new Date(ts)
  const atMs = at.getTime()
  if (!(atMs >= storableTimeMs.min && atMs <= storableTimeMs.max))
    return reject('out_of_range', `ts: ${String(ts)} is not a time of years 1 to 9999`)
  const aheadS = (atMs - now.getTime()) / 1000
  if (aheadS > limits.maxFutureS)
    return reject('future_timestamp', `${Math.round(aheadS)} s ahead of the server clock`)
  if (-aheadS > limits.maxAgeS) return reject('stale_timestamp', `${Math.round(-aheadS / 3600)} h old`)
  return at
}
