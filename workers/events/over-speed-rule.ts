import type { RoadAtPoint } from '../../geo/roads/road-at-point.js'
import type { SchoolBusSpeedLimit } from '../../geo/speed/school-bus-speed-limit.js'
import type { EmitEvent } from './derived-event.js'
import type { EventRuleOptions } from '../../server/core/schedule/event-rule-options.js'

export interface SpeedFix {
  ts: Date
  lat: number
  lon: number
  speedKmh: number
  /** null when the fix is too slow to be over any limit, so no road was looked up. */
  limit: SchoolBusSpeedLimit | null
  road: Pick<RoadAtPoint, 'roadClass' | 'name'> | undefined
  tripId: string | null
}

interface Episode {
  start: SpeedFix
  peak: SpeedFix & { limit: SchoolBusSpeedLimit }
  lastOverMs: number
  fixes: number
  underFixes: number
  raised: boolean
}

/**
 * Over-speed by the school-bus rules, for one bus, fed its fixes in time order. An episode is
 * raised once the bus has been over its limit (plus a tolerance) for a minimum time and number of
 * fixes, keyed by the episode's first fix; it is written again with its end once the bus is back
 * under the limit for a few fixes, or has not been seen for longer than the fix gap.
 */
export function createOverSpeedRule(busId: string, options: EventRuleOptions, emit: EmitEvent) {
  let episode: Episode | undefined
  let lastFixMs = Number.NEGATIVE_INFINITY

  const send = (current: Episode, ended: boolean) => {
    const { start, peak } = current
    emit({
      busId,
      kind: 'over_speed',
      ts: start.ts,
      tripId: start.tripId,
      details: {
        peakKmh: peak.speedKmh,
        limitKmh: peak.limit.limitKmh,
        limitReason: peak.limit.reason,
        roadClass: peak.road?.roadClass ?? null,
        roadName: peak.road?.name ?? null,
        peakTs: peak.ts.toISOString(),
        lat: peak.lat,
        lon: peak.lon,
        durationS: (current.lastOverMs - start.ts.getTime()) / 1000,
        fixes: current.fixes,
        endTs: ended ? new Date(current.lastOverMs).toISOString() : null,
      },
    })
  }

  const end = () => {
    if (episode?.raised) send(episode, true)
    episode = undefined
  }

  return {
    observe(fix: SpeedFix): void {
      const ms = fix.ts.getTime()
      if (ms - lastFixMs > options.maxFixGapS * 1000) end()
      lastFixMs = ms
      const limit = fix.limit
      if (limit === null || fix.speedKmh <= limit.limitKmh + options.overSpeedToleranceKmh) {
        if (!episode) return
        episode.underFixes++
        if (!episode.raised || episode.underFixes >= options.overSpeedEndFixes) end()
        return
      }
      const over = { ...fix, limit }
      if (!episode) {
        episode = { start: over, peak: over, lastOverMs: ms, fixes: 1, underFixes: 0, raised: false }
      } else {
        episode.fixes++
        episode.lastOverMs = ms
        episode.underFixes = 0
        if (over.speedKmh - limit.limitKmh > episode.peak.speedKmh - episode.peak.limit.limitKmh) {
          episode.peak = over
        }
      }
      if (
        !episode.raised &&
        episode.fixes >= options.overSpeedMinFixes &&
        ms - episode.start.ts.getTime() >= options.overSpeedMinDurationS * 1000
      ) {
        episode.raised = true
        send(episode, false)
      }
    },

    /** Ends an episode whose bus has not been seen for longer than the fix gap. */
    expire(now: Date): void {
      if (episode && now.getTime() - lastFixMs > options.maxFixGapS * 1000) end()
    },
  }
}

export type OverSpeedRule = ReturnType<typeof createOverSpeedRule>
