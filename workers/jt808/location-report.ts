import type { Jt808Location } from '../../server/core/jt808/decode-location.js'
import { telemetryTopic } from '../../server/core/broker/telemetry-topics.js'
import type { DeadLetterReason } from '../../server/core/broker/dead-letter-reasons.js'

/** A location as the ingest takes it: the topic and JSON payload of the telemetry contract. */
export interface LocationReport {
  topic: string
  payload: Buffer
  /** Known bad before the ingest validates it: the ingest dead-letters it with this reason. */
  rejected?: { reason: DeadLetterReason; detail: string }
}

/** The altitudes the telemetry contract takes (telemetry-payloads.ts). */
const altitudeRangeM = { min: -500, max: 9000 }

/**
 * One JT/T 808 location → the gps report of the telemetry contract. A location without a fix still
 * goes to the ingest, as a dead letter that keeps what the terminal said: a terminal without a fix
 * repeats its last position (or sends 0,0), and storing that as where the bus is now would move it.
 * An altitude outside what the contract takes is left out rather than losing the position over it.
 */
export function toLocationReport(busId: string, location: Jt808Location): LocationReport {
  const inRange = location.altitudeM >= altitudeRangeM.min && location.altitudeM <= altitudeRangeM.max
  const payload = {
    ts: location.at.toISOString(),
    lat: location.lat,
    lon: location.lon,
    speedKmh: location.speedKmh,
    headingDeg: location.headingDeg % 360,
    ...(inRange ? { altM: location.altitudeM } : {}),
    ignition: location.acc,
  }
  const report: LocationReport = {
    topic: telemetryTopic(busId, 'gps'),
    payload: Buffer.from(JSON.stringify(payload)),
  }
  // At 0,0 the ingest's own check names it (null_island) whatever the fix bit says.
  if (!location.fixed && !(location.lat === 0 && location.lon === 0)) {
    report.rejected = { reason: 'no_fix', detail: 'the terminal reported no satellite fix (status bit 1)' }
  }
  return report
}
