import { haversineM } from '../../geo/routing/earth-distance.js'
import type { EmitEvent, RoutePoint } from './derived-event.js'
import type { RouteComplianceOptions } from './route-compliance-options.js'
import { createTrackStretch, type TrackStretch } from './track-stretch.js'
import type { ProgressStep } from './trip-progress.js'

interface Place {
  ms: number
  lat: number
  lon: number
  alongM: number
}

interface Episode {
  tripId: string
  left: Place
  startMs: number
  lastOffMs: number
  offFixes: number
  seenOffMs: number
  maxOffM: number
  /** Metres driven from `left` to the last fix added to the stretch. */
  drivenM: number
  last: { lat: number; lon: number }
  stretch: TrackStretch
  /** The fixes back on the path since the last one off it: the first is where the bus rejoined. */
  backOn: Place[]
  raised: boolean
  /** A raised episode this one goes on with, if it comes to be raised itself. */
  resumes?: Rejoined
}

/** A raised episode the bus ended by rejoining its path, and how far it has driven on the path since. */
interface Rejoined {
  episode: Episode
  last: Place
  onM: number
  /** It arrived at a call since: back on its trip. */
  arrived: boolean
}

const round6 = (value: number) => Math.round(value * 1e6) / 1e6

const toPoint = (place: Place): RoutePoint => ({
  ts: new Date(place.ms).toISOString(),
  lat: round6(place.lat),
  lon: round6(place.lon),
  alongM: Math.round(place.alongM),
})

/**
 * Driving off the trip's approved path, for one bus, fed the steps of its trip in time order. An
 * episode begins at the first fix beyond the corridor and ends at `rejoinFixes` fixes in a row
 * back within it, dated by its first fix off the path. It is raised once the bus has been seen
 * off for `offCorridorMinS` over `offCorridorMinFixes` fixes: time across a coverage hole does not
 * count, so a hole is no detour, and a bus seen again on the path after a hole never left it. A
 * raised episode is written again with where the bus rejoined, or when its trip ended off the path.
 * Off the path again, far enough to be raised, before driving `rejoinDrivenM` on it or arriving at
 * a call, the bus goes on with the raised episode it rejoined from: one detour, one event.
 */
export function createRouteCorridorRule(
  busId: string,
  options: RouteComplianceOptions & { maxFixGapS: number },
  emit: EmitEvent,
) {
  let lastOn: Place | undefined
  let episode: Episode | undefined
  let rejoined: Rejoined | undefined

  const send = (current: Episode, rejoined: Place | null, ended: boolean) => {
    const endMs = rejoined?.ms ?? current.lastOffMs
    emit({
      busId,
      kind: 'route_off_corridor',
      ts: new Date(current.startMs),
      tripId: current.tripId,
      details: {
        corridorM: options.corridorM,
        left: toPoint(current.left),
        rejoined: rejoined ? toPoint(rejoined) : null,
        stretch: current.stretch.points(),
        offKm: Math.round(current.drivenM) / 1000,
        maxOffM: Math.round(current.maxOffM),
        durationS: (endMs - current.startMs) / 1000,
        seenOffS: current.seenOffMs / 1000,
        endTs: ended ? new Date(endMs).toISOString() : null,
      },
    })
  }

  const addToStretch = (current: Episode, lat: number, lon: number) => {
    current.drivenM += haversineM(current.last.lat, current.last.lon, lat, lon)
    current.last = { lat, lon }
    current.stretch.add(lat, lon)
  }

  /** The trip is over: an episode still off the path ends at its last fix off it. */
  const endTrip = () => {
    if (episode?.raised) send(episode, null, true)
    episode = undefined
    rejoined = undefined
    lastOn = undefined
  }

  const driveOn = (from: Rejoined, place: Place, arrived: boolean) => {
    from.onM += haversineM(from.last.lat, from.last.lon, place.lat, place.lon)
    from.last = place
    from.arrived ||= arrived
  }

  /** The episode under way was the raised one it resumes all along: its fixes join that one's. */
  const resume = (current: Episode, from: Rejoined): Episode => {
    const earlier = from.episode
    addToStretch(earlier, from.last.lat, from.last.lon)
    for (const [lon, lat] of current.stretch.points()) addToStretch(earlier, lat, lon)
    earlier.offFixes += current.offFixes
    earlier.seenOffMs += current.seenOffMs
    earlier.maxOffM = Math.max(earlier.maxOffM, current.maxOffM)
    earlier.lastOffMs = current.lastOffMs
    earlier.backOn = []
    // Written again as under way: it ended where the bus came back for a block only.
    send(earlier, null, false)
    return earlier
  }

  return {
    endTrip,

    observe(step: ProgressStep, tripId: string): void {
      const place: Place = { ms: step.ms, lat: step.fix.lat, lon: step.fix.lon, alongM: step.alongM }
      if (step.onPath) {
        lastOn = place
        if (!episode) {
          if (rejoined) driveOn(rejoined, place, step.arrived.length > 0)
          return
        }
        episode.backOn.push(place)
        if (episode.backOn.length < options.rejoinFixes && !step.finished) return
        const [at, ...since] = episode.backOn
        addToStretch(episode, at!.lat, at!.lon)
        if (episode.raised) {
          send(episode, at!, true)
          rejoined = { episode, last: at!, onM: 0, arrived: false }
        } else if (episode.resumes) {
          // A brush off the path: still the raised episode's rejoining, further on.
          rejoined = episode.resumes
          driveOn(rejoined, at!, false)
        }
        for (const on of since) if (rejoined) driveOn(rejoined, on, false)
        if (rejoined && step.arrived.length > 0) rejoined.arrived = true
        episode = undefined
        return
      }

      if (!episode || episode.tripId !== tripId) {
        const resumes =
          rejoined?.episode.tripId === tripId && rejoined.onM < options.rejoinDrivenM && !rejoined.arrived
            ? rejoined
            : undefined
        rejoined = undefined
        const left = lastOn ?? place
        episode = {
          tripId,
          left,
          startMs: step.ms,
          lastOffMs: step.ms,
          offFixes: 0,
          seenOffMs: 0,
          maxOffM: 0,
          drivenM: 0,
          last: { lat: left.lat, lon: left.lon },
          stretch: createTrackStretch(options.stretchMaxPoints),
          backOn: [],
          raised: false,
          resumes,
        }
        episode.stretch.add(left.lat, left.lon)
      } else {
        // Back on the path for fewer fixes than a rejoin takes: noise, or a brush past the path.
        for (const on of episode.backOn) addToStretch(episode, on.lat, on.lon)
        episode.backOn = []
        const sinceMs = step.ms - episode.lastOffMs
        if (sinceMs <= options.maxFixGapS * 1000) episode.seenOffMs += sinceMs
      }
      episode.offFixes++
      episode.lastOffMs = step.ms
      episode.maxOffM = Math.max(episode.maxOffM, step.offM)
      addToStretch(episode, step.fix.lat, step.fix.lon)
      if (
        !episode.raised &&
        episode.offFixes >= options.offCorridorMinFixes &&
        episode.seenOffMs >= options.offCorridorMinS * 1000
      ) {
        if (episode.resumes) episode = resume(episode, episode.resumes)
        else {
          episode.raised = true
          send(episode, null, false)
        }
      }
      if (step.finished) endTrip()
    },
  }
}

export type RouteCorridorRule = ReturnType<typeof createRouteCorridorRule>
