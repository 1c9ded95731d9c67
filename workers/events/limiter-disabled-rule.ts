import type { LimiterRow } from '../../server/core/broker/telemetry-rows.js'
import type { EmitEvent } from './derived-event.js'
import type { EventRuleOptions } from '../../server/core/schedule/event-rule-options.js'

type LimiterState = LimiterRow['state']
type NotActive = Exclude<LimiterState, 'active'>

export interface LimiterEpisode {
  startMs: number
  tripId: string | null
  states: NotActive[]
  limitKmh: number | null
  speedKmh: number
}

/**
 * A speed limiter disabled or faulty while the bus moves, for one bus, fed its limiter reports and
 * fixes in time order. One episode lasts until the limiter reports active again: stopping at a
 * stop with the limiter still off does not start a second alarm when the bus moves on.
 */
export function createLimiterDisabledRule(busId: string, options: EventRuleOptions, emit: EmitEvent) {
  let limiter: { state: LimiterState; limitKmh: number | null; ms: number } | undefined
  /** Updated in place: this runs for every fix of every bus. */
  const lastFix = { ms: Number.NEGATIVE_INFINITY, speedKmh: 0, tripId: null as string | null }
  let episode: LimiterEpisode | undefined

  const send = (current: LimiterEpisode, endMs: number | null) =>
    emit({
      busId,
      kind: 'limiter_disabled',
      ts: new Date(current.startMs),
      tripId: current.tripId,
      details: {
        state: current.states[0]!,
        states: [...current.states],
        limitKmh: current.limitKmh,
        speedKmh: current.speedKmh,
        endTs: endMs === null ? null : new Date(endMs).toISOString(),
        durationS: endMs === null ? null : (endMs - current.startMs) / 1000,
      },
    })

  const begin = (state: NotActive, startMs: number, speedKmh: number, tripId: string | null) => {
    episode = { startMs, tripId, states: [state], limitKmh: limiter?.limitKmh ?? null, speedKmh }
    send(episode, null)
  }

  const isMoving = (fix: { speedKmh: number }) => fix.speedKmh > options.movingKmh

  return {
    observeLimiter(row: Pick<LimiterRow, 'ts' | 'state' | 'limitKmh'>): void {
      const ms = row.ts.getTime()
      if (limiter && ms <= limiter.ms) return
      limiter = { state: row.state, limitKmh: row.limitKmh, ms }
      if (row.state === 'active') {
        if (episode) send(episode, ms)
        episode = undefined
      } else if (episode) {
        if (episode.states[episode.states.length - 1] !== row.state) {
          episode.states.push(row.state)
          send(episode, null)
        }
      } else if (isMoving(lastFix) && ms - lastFix.ms <= options.maxFixGapS * 1000) {
        begin(row.state, ms, lastFix.speedKmh, lastFix.tripId)
      }
    },

    /**
     * Takes up an episode the store holds as still open (begun before what this process replays),
     * so that the limiter's next report updates or ends that same event.
     */
    resume(open: LimiterEpisode): void {
      if (episode) return
      episode = { ...open, states: [...open.states] }
    },

    observeFix(fix: { ts: Date; speedKmh: number; tripId: string | null }): void {
      const ms = fix.ts.getTime()
      lastFix.ms = ms
      lastFix.speedKmh = fix.speedKmh
      lastFix.tripId = fix.tripId
      if (!episode && limiter && limiter.state !== 'active' && isMoving(fix)) {
        begin(limiter.state, Math.max(ms, limiter.ms), fix.speedKmh, fix.tripId)
      }
    },
  }
}

export type LimiterDisabledRule = ReturnType<typeof createLimiterDisabledRule>
