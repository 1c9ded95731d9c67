import type { EmitEvent } from './derived-event.js'
import type { EventRuleOptions } from '../../server/core/schedule/event-rule-options.js'
import type { RunningTrip } from '../../server/core/schedule/trip-calendar.js'

interface Silence {
  startMs: number
  tripId: string
  lastReportMs: number | null
}

/**
 * A terminal that sends no GPS report for too long while one of its bus's trips runs, for one bus.
 * The silence is dated from the last report, or from the trip's start if none came since: the same
 * silence is derived with the same key by whichever process sees it. It ends with the first report
 * dated after its start, which may be a report the terminal buffered and uploads late.
 */
export function createTerminalSilenceRule(busId: string, options: EventRuleOptions, emit: EmitEvent) {
  let lastReportMs = Number.NEGATIVE_INFINITY
  let silence: Silence | undefined
  /**
   * Whether a silence ended since the last check time, and so at this one: the reports a terminal
   * kept through a coverage hole come over some seconds, and until the last of them is in the bus's
   * last report looks old.
   */
  let endedSinceCheck = false
  let lastCheck = { nowMs: Number.NEGATIVE_INFINITY, uploading: false }

  const send = (current: Silence, endMs: number | null) =>
    emit({
      busId,
      kind: 'terminal_silent',
      ts: new Date(current.startMs),
      tripId: current.tripId,
      details: {
        lastReportTs: current.lastReportMs === null ? null : new Date(current.lastReportMs).toISOString(),
        thresholdS: options.silentAfterS,
        endTs: endMs === null ? null : new Date(endMs).toISOString(),
        silentS: endMs === null ? null : (endMs - current.startMs) / 1000,
      },
    })

  return {
    /** Every GPS report, late ones too. */
    observeReport(ts: Date): void {
      const ms = ts.getTime()
      if (silence && ms > silence.startMs) {
        send(silence, ms)
        silence = undefined
        endedSinceCheck = true
      }
      if (ms > lastReportMs) lastReportMs = ms
    },

    /**
     * Takes up a silence the store holds as still open (raised by another process), so that the
     * first report after its start ends that same event. Ignored if a later report was seen.
     */
    resume(open: { startMs: number; tripId: string; lastReportMs: number | null }): void {
      if (silence || lastReportMs > open.startMs) return
      silence = { ...open }
    },

    check(now: Date, trip: RunningTrip): void {
      if (now.getTime() !== lastCheck.nowMs) {
        lastCheck = { nowMs: now.getTime(), uploading: endedSinceCheck }
        endedSinceCheck = false
      }
      if (silence || lastCheck.uploading) return
      const tripStartMs = trip.startsAt.getTime()
      const startMs = Math.max(lastReportMs, tripStartMs)
      if (now.getTime() - startMs <= options.silentAfterS * 1000) return
      silence = {
        startMs,
        tripId: trip.tripId,
        lastReportMs: lastReportMs >= tripStartMs ? lastReportMs : null,
      }
      send(silence, null)
    },
  }
}

export type TerminalSilenceRule = ReturnType<typeof createTerminalSilenceRule>
