import type { LatLon } from '../../geo/lat-lon.js'
import { haversineM } from '../../geo/routing/earth-distance.js'
import type { EmitEvent } from './derived-event.js'
import type { RouteComplianceOptions } from './route-compliance-options.js'
import type { ProgressStep, TripProgress } from './trip-progress.js'

interface Stand {
  tripId: string
  startMs: number
  lastStillMs: number
  first: LatLon
  sumLat: number
  sumLon: number
  fixes: number
  minOffM: number
  doorsReported: boolean
  doorsOpened: boolean
  /** Slow fixes in a row farther than standRadiusM from `first`. */
  jumpFixes: number
  /** Of its fixes, those reading at least a crawl's speed. */
  crawlFixes: number
  /** Fixes in a row moving, and the first of them. */
  awayFixes: number
  firstAwayMs: number
  /** Decided once it has lasted standMinS: by an approved place, it is no event whatever follows. */
  allowed: boolean | undefined
  nearest: { stopId: string; distanceM: number }
  raised: boolean
}

const round6 = (value: number) => Math.round(value * 1e6) / 1e6

/**
 * A crawl's speed: a bus standing reads next to nothing however far its position wanders, one
 * creeping on in a queue reads its pace, and its fixes move on farther than the GPS wanders.
 */
const CRAWL_MIN_KMH = 2

/**
 * Standing still during a trip away from every approved call, the trip's school and the bus's
 * depot, for one bus, fed the steps of its trip in time order. A stand begins at a fix slower than
 * `movingKmh` and lasts until `standEndFixes` fixes in a row are moving; slow fixes farther than
 * `standRadiusM` from where it began are jumps of the GPS and left out, unless more of them come
 * in a row than fixes near there (the first fixes were the jump). Shorter than `standMinS` it
 * is traffic (a light, a queue); so is a stand that long whose fixes mostly read a crawl's speed
 * and that has moved on beyond `standDriftM` (a bus creeping on in a queue): it begins again there. Where the terminal reports its doors, only a stand with the doors open counts.
 * The event is dated when the bus stopped and written again when it moves on.
 */
export function createUnapprovedStopRule(
  busId: string,
  options: RouteComplianceOptions & { movingKmh: number },
  emit: EmitEvent,
) {
  let stand: Stand | undefined

  const send = (current: Stand, endMs: number | null) =>
    emit({
      busId,
      kind: 'stop_unapproved',
      ts: new Date(current.startMs),
      tripId: current.tripId,
      details: {
        lat: round6(current.sumLat / current.fixes),
        lon: round6(current.sumLon / current.fixes),
        durationS: (current.lastStillMs - current.startMs) / 1000,
        endTs: endMs === null ? null : new Date(endMs).toISOString(),
        doorsOpened: current.doorsReported ? current.doorsOpened : null,
        nearestStopId: current.nearest.stopId,
        nearestStopM: Math.round(current.nearest.distanceM),
        offPathM: Math.round(current.minOffM),
      },
    })

  const end = (endMs: number) => {
    if (stand?.raised) send(stand, endMs)
    stand = undefined
  }

  const begin = (step: ProgressStep, tripId: string): Stand => ({
    tripId,
    startMs: step.ms,
    lastStillMs: step.ms,
    first: { lat: step.fix.lat, lon: step.fix.lon },
    sumLat: 0,
    sumLon: 0,
    fixes: 0,
    minOffM: Infinity,
    doorsReported: false,
    doorsOpened: false,
    jumpFixes: 0,
    crawlFixes: 0,
    awayFixes: 0,
    firstAwayMs: step.ms,
    allowed: undefined,
    nearest: { stopId: '', distanceM: Infinity },
    raised: false,
  })

  /** Near a call, the school or the depot, standing is what the bus is there for. */
  const judgePlace = (current: Stand, progress: TripProgress) => {
    const at = { lat: current.sumLat / current.fixes, lon: current.sumLon / current.fixes }
    for (const call of progress.path.route.stops) {
      const distanceM = haversineM(at.lat, at.lon, call.lat, call.lon)
      if (distanceM < current.nearest.distanceM) current.nearest = { stopId: call.stopId, distanceM }
    }
    const nearestPlaceM = Math.min(
      current.nearest.distanceM,
      ...progress.path.places.map((place) => haversineM(at.lat, at.lon, place.lat, place.lon)),
    )
    current.allowed = nearestPlaceM <= options.approvedPlaceRadiusM
  }

  return {
    observe(step: ProgressStep, progress: TripProgress, tripId: string): void {
      const { fix } = step
      const slow = fix.speedKmh < options.movingKmh
      if (stand && stand.tripId !== tripId) end(stand.lastStillMs)
      if (stand) {
        if (!slow) {
          if (stand.awayFixes++ === 0) stand.firstAwayMs = step.ms
          if (stand.awayFixes >= options.standEndFixes) end(stand.firstAwayMs)
        } else {
          stand.awayFixes = 0
        }
      }
      if (!stand && slow && !step.finished) stand = begin(step, tripId)
      // A slow fix far from where the bus stopped is a GPS jump: a bus does not creep that far.
      // Once more of them have come in a row than fixes near that place, the jump was there.
      let jumped = false
      if (stand && stand.awayFixes === 0) {
        const fromFirstM = haversineM(fix.lat, fix.lon, stand.first.lat, stand.first.lon)
        jumped = fromFirstM > options.standRadiusM
        stand.jumpFixes = jumped ? stand.jumpFixes + 1 : 0
        if (jumped && stand.jumpFixes > stand.fixes) {
          const first = { lat: fix.lat, lon: fix.lon }
          Object.assign(stand, {
            first,
            sumLat: 0,
            sumLon: 0,
            fixes: 0,
            crawlFixes: 0,
            jumpFixes: 0,
            minOffM: Infinity,
          })
          jumped = false
        }
      }
      if (stand && stand.awayFixes === 0 && !jumped) {
        stand.lastStillMs = step.ms
        stand.sumLat += fix.lat
        stand.sumLon += fix.lon
        stand.fixes++
        if (fix.speedKmh >= CRAWL_MIN_KMH) stand.crawlFixes++
        stand.minOffM = Math.min(stand.minOffM, step.offM)
        if (fix.doorsOpen !== undefined) {
          stand.doorsReported = true
          if (fix.doorsOpen.length > 0) stand.doorsOpened = true
        }
        if (stand.allowed === undefined && stand.lastStillMs - stand.startMs >= options.standMinS * 1000) {
          const crawled =
            stand.crawlFixes * 2 > stand.fixes &&
            haversineM(fix.lat, fix.lon, stand.first.lat, stand.first.lon) > options.standDriftM
          if (crawled) {
            const crawlFixes = fix.speedKmh >= CRAWL_MIN_KMH ? 1 : 0
            stand = {
              ...begin(step, tripId),
              sumLat: fix.lat,
              sumLon: fix.lon,
              fixes: 1,
              crawlFixes,
              minOffM: step.offM,
            }
          } else judgePlace(stand, progress)
        }
        if (stand.allowed === false && !stand.raised && (!stand.doorsReported || stand.doorsOpened)) {
          stand.raised = true
          send(stand, null)
        }
      }
      if (step.finished && stand) end(stand.lastStillMs)
    },

    /** The trip is over: a stand still going on ends at its last fix. */
    endTrip(): void {
      if (stand) end(stand.lastStillMs)
    },
  }
}

export type UnapprovedStopRule = ReturnType<typeof createUnapprovedStopRule>
