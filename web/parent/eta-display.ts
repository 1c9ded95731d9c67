import { cixiInstantMs, formatCixiTime } from '../shared/cixi-time.js'
import type { TripEta } from '../shared/bus-live-contract.js'
import { childStopOf, type Ride } from './parent-contract.js'

/**
 * A terminal that has not reported for this long is treated as silent: the same two minutes after
 * which the platform raises its terminal-silent alarm.
 */
export const silentAfterS = 120
/** Below this, the bus is "arriving" rather than a number of minutes away. */
const arrivingBelowS = 30

/** What the ETA panel says; times are 'HH:MM' in Cixi. */
export type EtaView =
  | { kind: 'waiting' }
  | { kind: 'minutes'; minutes: number; remainingS: number; lastReport: string | null; lateMin: number }
  | { kind: 'arriving'; remainingS: number; lastReport: string | null; lateMin: number }
  | { kind: 'no_signal'; since: string | null }
  | { kind: 'no_contact'; lastReport: string | null }
  | { kind: 'off_route'; since: string | null }
  | { kind: 'not_started'; due: string }
  | { kind: 'passed' }
  | { kind: 'finished' }

export function isReportStale(reportTs: string | null, serverNowMs: number): boolean {
  return reportTs !== null && serverNowMs - Date.parse(reportTs) > silentAfterS * 1000
}

/** The newer of two report times; either may be unknown. */
export function newerReportTs(a: string | null, b: string | null): string | null {
  if (a === null) return b
  if (b === null) return a
  return Date.parse(a) >= Date.parse(b) ? a : b
}

/**
 * The ETA to the child's stop as the parent should read it now. It counts down between reports
 * from the predicted arrival instant, and gives way to "no signal since" once the bus has been
 * silent for `silentAfterS`: a stale number would be a false promise. A page out of contact with
 * the server says that instead: it cannot tell a silent bus from its own lost connection.
 */
export function describeEta(input: {
  ride: Ride
  eta: TripEta | null
  /** The newest report heard from the bus, from the ETA or from a position. */
  lastReportTs: string | null
  serverNowMs: number
  /** The server answers and has sent the bus's data since contact was last lost (server-contact.ts). */
  inContact: boolean
}): EtaView {
  const { ride, eta, lastReportTs, serverNowMs } = input
  const since = lastReportTs === null ? null : formatCixiTime(Date.parse(lastReportTs))
  if (!input.inContact) return { kind: 'no_contact', lastReport: since }
  const stale = isReportStale(lastReportTs, serverNowMs)
  if (!eta) return stale ? { kind: 'no_signal', since } : { kind: 'waiting' }
  if (eta.status === 'finished') return { kind: 'finished' }
  const childStop = childStopOf(ride)
  const stopEta = eta.stops.find((s) => s.seq === childStop.seq && s.stopId === childStop.stopId)
  if (stopEta?.passed) return { kind: 'passed' }
  if (eta.status === 'not_started') return { kind: 'not_started', due: childStop.scheduledTime }
  if (eta.status === 'silent' || stale || lastReportTs === null) return { kind: 'no_signal', since }
  if (eta.status === 'off_route') return { kind: 'off_route', since }
  if (!stopEta?.etaTs) return { kind: 'waiting' }

  const arrivalMs = Date.parse(stopEta.etaTs)
  const lateMin = Math.round((arrivalMs - cixiInstantMs(ride.date, childStop.scheduledTime)) / 60_000)
  const remainingS = Math.round((arrivalMs - serverNowMs) / 1000)
  if (remainingS < arrivingBelowS) return { kind: 'arriving', remainingS, lastReport: since, lateMin }
  const minutes = Math.max(1, Math.round(remainingS / 60))
  return { kind: 'minutes', minutes, remainingS, lastReport: since, lateMin }
}
