import type { Jt808Location } from '../../server/core/jt808/decode-location.js'
import { listSetBits, nameVideoAlarms } from '../../server/core/jt808/location-alarms.js'
import {
  driverBehaviours,
  type TerminalStatus,
  type VideoRecorderStatus,
} from '../../server/core/broker/terminal-status.js'
import { telemetryBounds } from '../../server/core/broker/telemetry-payloads.js'
import { telemetryTopic } from '../../server/core/broker/telemetry-topics.js'
import type { DeadLetterReason } from '../../server/core/broker/dead-letter-reasons.js'

/** A location as the ingest takes it: the topic and JSON payload of the telemetry contract. */
export interface LocationReport {
  topic: string
  payload: Buffer
  /** Known bad before the ingest validates it: the ingest dead-letters it with this reason. */
  rejected?: { reason: DeadLetterReason; detail: string }
}

const { altitudeM: altitudeRangeM, maxMileageKm, maxFatigueLevel } = telemetryBounds

/**
 * One JT/T 808 location → the gps report of the telemetry contract. A location without a fix still
 * goes to the ingest, as a dead letter that keeps what the terminal said: a terminal without a fix
 * repeats its last position (or sends 0,0), and storing that as where the bus is now would move it.
 * An altitude or odometer outside what the contract takes is left out rather than losing the
 * position over it.
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
    terminal: toTerminalStatus(location),
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

/**
 * The terminal's own status: `alarms` is always there (empty when none is set), so that a report
 * ends the alarms it no longer sets; the rest only when the terminal sent it.
 */
function toTerminalStatus(location: Jt808Location): TerminalStatus {
  const { extras } = location
  const video = extras.videoAlarms
  const status: TerminalStatus = {
    alarms: video ? [...location.alarms, ...nameVideoAlarms(video.alarmBits)] : location.alarms,
    doorsOpen: location.doorsOpen,
  }
  if (extras.mileageKm !== undefined && extras.mileageKm <= maxMileageKm) status.mileageKm = extras.mileageKm
  if (extras.satellites !== undefined) status.satellites = extras.satellites
  if (extras.signalStrength !== undefined) status.signalStrength = extras.signalStrength
  if (video) status.video = toVideoRecorderStatus(video)
  return status
}

function toVideoRecorderStatus(
  video: NonNullable<Jt808Location['extras']['videoAlarms']>,
): VideoRecorderStatus {
  const status: VideoRecorderStatus = {}
  if (video.signalLossChannels !== undefined)
    status.signalLostChannels = listSetBits(video.signalLossChannels)
  if (video.blockedChannels !== undefined) status.blockedChannels = listSetBits(video.blockedChannels)
  if (video.storageFaults !== undefined) {
    status.faultyMainStorage = listSetBits(video.storageFaults, 0, 12)
    status.faultyBackupStorage = listSetBits(video.storageFaults, 12, 4)
  }
  if (video.abnormalDriving) {
    const { bits, fatigueLevel } = video.abnormalDriving
    status.driverBehaviours = driverBehaviours.filter((_, bit) => ((bits >>> bit) & 1) === 1)
    status.fatigueLevel = Math.min(fatigueLevel, maxFatigueLevel)
  }
  return status
}
