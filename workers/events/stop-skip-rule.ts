import type { TripRouteStop } from '../../geo/eta/trip-route.js'
import { haversineM } from '../../geo/routing/earth-distance.js'
import type { EmitEvent, StopSkippedDetails } from './derived-event.js'
import type { RouteComplianceOptions } from './route-compliance-options.js'
import { createTrackStretch, type TrackStretch } from './track-stretch.js'
import type { ProgressStep, TripProgress } from './trip-progress.js'

interface Nearest {
  ms: number
  lat: number
  lon: number
  distanceM: number
  speedKmh: number
}

interface Watch {
  call: TripRouteStop
  plannedMs: number | null
  nearest: Nearest | undefined
  stretch: TrackStretch
  /** Set once the bus's progress went past the call: whether its fixes saw it go. */
  witnessed: boolean | undefined
  decided: boolean
  skipped: { ts: Date; details: StopSkippedDetails } | undefined
}

const round6 = (value: number) => Math.round(value * 1e6) / 1e6

/**
 * Approved calls the bus did not call at, for one bus, fed the steps of its trip in time order. A
 * call is decided once the bus is `passedByM` beyond it along the path, has arrived at a later
 * call, or its trip is over. It was skipped if the stop rule saw no arrival there and the bus's
 * fixes witnessed it go past (no coverage hole hid where a call could have been made), or, if the
 * bus never got that far, if it was still reporting after the call's time and its fixes would show
 * a call there (it was not unseen where it may have called: a coverage hole). The event is dated
 * when the bus came nearest the call (else at the call's time), each skip of a trip at its own
 * instant, so that deriving the trip again gives the same keys. A bus that comes back and calls
 * after all has the event written again with that time.
 */
export function createStopSkipRule(busId: string, options: RouteComplianceOptions, emit: EmitEvent) {
  let tripId: string | null = null
  let watches: Watch[] = []
  let usedMs = new Set<number>()

  const send = (watch: Watch) => emit({ busId, kind: 'stop_skipped', tripId, ...watch.skipped! })

  const skip = (watch: Watch, decidedBy: StopSkippedDetails['decidedBy']) => {
    const { nearest } = watch
    let ms = decidedBy === 'passed' ? nearest!.ms : (watch.plannedMs ?? nearest!.ms)
    while (usedMs.has(ms)) ms++
    usedMs.add(ms)
    watch.skipped = {
      ts: new Date(ms),
      details: {
        stopId: watch.call.stopId,
        seq: watch.call.seq,
        plannedTs: watch.plannedMs === null ? null : new Date(watch.plannedMs).toISOString(),
        decidedBy,
        nearest: nearest
          ? {
              ts: new Date(nearest.ms).toISOString(),
              lat: round6(nearest.lat),
              lon: round6(nearest.lon),
              distanceM: Math.round(nearest.distanceM),
              speedKmh: nearest.speedKmh,
            }
          : null,
        stretch: watch.stretch.points(),
        calledTs: null,
      },
    }
    send(watch)
  }

  const decide = (watch: Watch) => {
    watch.decided = true
    if (watch.witnessed) skip(watch, 'passed')
  }

  return {
    /** A new trip begins: its calls as placed on the approved path, with the timetable's times. */
    startTrip(id: string, calls: readonly TripRouteStop[], plannedMs: readonly (number | null)[]): void {
      tripId = id
      usedMs = new Set()
      watches = calls.map((call, i) => ({
        call,
        plannedMs: plannedMs[i] ?? null,
        nearest: undefined,
        stretch: createTrackStretch(options.stretchMaxPoints),
        witnessed: undefined,
        decided: false,
        skipped: undefined,
      }))
    },

    observe(step: ProgressStep, progress: TripProgress): void {
      const { fix } = step
      watches.forEach((watch, i) => {
        if (progress.hasArrived(i)) {
          const { skipped } = watch
          if (skipped && skipped.details.calledTs === null) {
            // A new version: the one sent before may still wait to be stored.
            watch.skipped = { ...skipped, details: { ...skipped.details, calledTs: fix.ts.toISOString() } }
            send(watch)
          }
          watch.decided = true
          return
        }
        if (watch.decided) return
        const distanceM = haversineM(fix.lat, fix.lon, watch.call.lat, watch.call.lon)
        if (!watch.nearest || distanceM < watch.nearest.distanceM) {
          watch.nearest = { ms: step.ms, lat: fix.lat, lon: fix.lon, distanceM, speedKmh: fix.speedKmh }
        }
        if (distanceM <= options.passRadiusM) watch.stretch.add(fix.lat, fix.lon)
      })
      for (const crossing of step.crossed) watches[crossing.index]!.witnessed = crossing.witnessed
      const lastArrival = Math.max(-1, ...step.arrived)
      watches.forEach((watch, i) => {
        if (watch.decided || watch.witnessed === undefined) return
        if (step.finished || i < lastArrival || step.alongM >= watch.call.alongM + options.passedByM)
          decide(watch)
      })
    },

    /**
     * The trip ended before the bus arrived at its last call. Calls it went past are decided; a
     * call it never reached was skipped if the bus still reported after the call's time, and its
     * fixes would show a call there.
     */
    endTrip(progress: TripProgress | undefined): void {
      if (progress?.engaged) {
        watches.forEach((watch, i) => {
          if (watch.decided) return
          if (watch.witnessed !== undefined) decide(watch)
          else if (
            watch.plannedMs !== null &&
            progress.lastFixMs >= watch.plannedMs &&
            watch.nearest &&
            progress.wouldHaveSeen(i)
          ) {
            watch.decided = true
            skip(watch, 'not_reached')
          }
        })
      }
      watches = []
      tripId = null
    },
  }
}

export type StopSkipRule = ReturnType<typeof createStopSkipRule>
