import type { Queryable } from '../../server/core/store/database.js'
import { eventSpanMs, readStoredEvents, type StoredEvent } from '../stored-events.js'
import { oversightKinds, type OversightKind, type RaisedEpisode } from './oversight-episode.js'

/**
 * The oversight events the platform stored that began from `from` to `to`, as episodes to match. A
 * child-left-on-bus alarm that names the pupils of several trips (one standstill of a bus) is one
 * episode per trip it names: each trip's pupil left aboard is found by it.
 */
export async function readRaisedEpisodes(db: Queryable, from: Date, to: Date): Promise<RaisedEpisode[]> {
  const events = await readStoredEvents(db, { kinds: oversightKinds, from, to })
  return events.flatMap((event, i) => {
    const [startMs, endMs] = eventSpanMs(event)
    const { stopId, tripIds } = event.details
    const named = Array.isArray(tripIds) && tripIds.length > 1 ? tripIds.map(String) : [event.tripId]
    return named.map((tripId, k) => ({
      id: k === 0 ? `raised-${i + 1}` : `raised-${i + 1}.${k + 1}`,
      kind: event.kind as OversightKind,
      busId: event.busId,
      tripId,
      stopId: typeof stopId === 'string' ? stopId : null,
      startMs,
      endMs,
      detail: describeEvent(event),
    }))
  })
}

/** The figures of an event worth reading beside what was injected. */
function describeEvent(event: StoredEvent): string {
  const d = event.details
  switch (event.kind) {
    case 'over_speed':
      return `peak ${String(d.peakKmh)} km/h on a ${String(d.limitKmh)} km/h limit (${String(d.limitReason)}), ${String(d.durationS)} s`
    case 'limiter_disabled':
      return `${String(d.state)} at ${String(d.speedKmh)} km/h, ${d.durationS === null ? 'still open' : `${String(d.durationS)} s`}`
    case 'terminal_silent':
      return d.silentS === null ? 'still silent' : `silent ${String(d.silentS)} s`
    case 'route_off_corridor':
      return `${String(d.offKm)} km off the path, up to ${String(d.maxOffM)} m, seen off ${String(d.seenOffS)} s`
    case 'stop_skipped':
      return `call ${String(d.seq)} ${String(d.decidedBy)}`
    case 'stop_unapproved':
      return `stood ${String(d.durationS)} s, ${String(d.nearestStopM)} m from the nearest call, ${String(d.offPathM)} m off the path`
    case 'child_left_on_bus':
      return Array.isArray(d.tripIds) && d.tripIds.length > 1
        ? `${String(d.reason)}, trips ${d.tripIds.map(String).join(' ')}`
        : `${String(d.reason)}`
    default:
      return ''
  }
}
