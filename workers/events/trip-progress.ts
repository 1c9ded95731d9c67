import { haversineM } from '../../geo/routing/earth-distance.js'
import type { RunningTrip } from '../../server/core/schedule/trip-calendar.js'
import { placeOnPath, type ApprovedPath } from './approved-path.js'
import type { RouteComplianceOptions } from './route-compliance-options.js'

export interface RouteFix {
  ts: Date
  lat: number
  lon: number
  speedKmh: number
  /** The doors the terminal reports open; undefined when it does not report its doors. */
  doorsOpen?: readonly number[] | undefined
}

/** A call the bus's progress went past, and whether its fixes saw it go there. */
export interface CallCrossing {
  /** Index of the call in the trip's stops. */
  index: number
  /**
   * No fix was more than maxFixGapS from the next between the last place the bus was seen on its
   * way and this one: had it called there, its fixes would show it. False across a coverage hole.
   */
  witnessed: boolean
}

/** One fix of a bus on its trip, as the route rules read it. */
export interface ProgressStep {
  fix: RouteFix
  ms: number
  /** From the approved path. */
  offM: number
  onPath: boolean
  /** The bus's progress along the path after this fix. */
  alongM: number
  crossed: CallCrossing[]
  /** Calls the stop rule saw the bus arrive at with this fix (indexes). */
  arrived: number[]
  /** The bus arrived at the last call with this fix: the trip is over for the route rules. */
  finished: boolean
}

export type ProgressOptions = RouteComplianceOptions & { stopRadiusM: number; maxFixGapS: number }

/**
 * A bus that left out a loop of its path drives on along the path from where it rejoins it: the
 * fixes that move it ahead must also go forward along the path by this much. A bus coming back
 * along a later part of its path the other way (on a detour, to a call it has yet to make) keeps
 * to that part for as long, and is not ahead of its calls.
 */
const JUMP_ADVANCE_M = 30
/** A fix placed this little behind the bus's progress is the GPS's noise, not the bus turning back. */
const BACK_NOISE_M = 30
/** The pace and earliness at which a bus unseen may have finished its trip (couldHaveFinishedUnseen). */
const FINISH_UNSEEN_KMH = 50
const FINISH_UNSEEN_EARLY_MS = 10 * 60_000

/**
 * Where one bus is along its trip's approved path, fix by fix. The trip begins for the route rules
 * when the bus comes within the stop radius of its first call, or arrives at a later one once the
 * first call's time has come (it left the first out): until then it is on its way from the depot,
 * and its fixes are not judged. It is over once the bus arrives at the last call. Progress only
 * moves forward, except to a call the bus arrives at: a fix is placed near where the bus was (a
 * path may come back along a street it took), and ahead beyond what the bus can have driven only
 * when fixes keep to a part of the path that lies there alone (the bus left out a loop of it).
 */
export function createTripProgress(trip: RunningTrip, path: ApprovedPath, options: ProgressOptions) {
  const { route } = path
  const calls = route.stops
  const maxGapMs = options.maxFixGapS * 1000
  const arrived = new Set<number>()
  let engaged = false
  /** Where the trip began for the route rules, and whether the bus was seen all along until then. */
  let begunAt = { index: 0, seen: true }
  let finished = false
  let alongM = Number.NEGATIVE_INFINITY
  let placedMs = Number.NEGATIVE_INFINITY
  /** From the trip's start: a bus unseen since then may have called unseen. */
  let lastFixMs = trip.startsAt.getTime()
  /** The longest interval between consecutive fixes since the bus was last placed on the path. */
  let gapMs = 0
  /**
   * After the bus went unseen, where it was first placed again: it may have been to a call just
   * ahead and come back (a stop up a dead-end road), so it is seen again only once it has driven
   * on from there.
   */
  let unseenFromM: number | null = null
  let unseenSincePlaced = false
  /**
   * The last silence was long enough for the bus to have finished its trip meanwhile
   * (couldHaveFinishedUnseen), and it has not been seen going on along its path since: it may be
   * on its way back from its last call along the road it came by.
   */
  let mayHaveFinishedUnseen = false
  /** Calls the bus's progress went past (indexes). */
  const crossedCalls = new Set<number>()
  /** Fixes placed only beyond the window, where the bus may have jumped ahead along the path. */
  let jump:
    { alongM: number; firstAlongM: number; firstMs: number; lastMs: number; fixes: number } | undefined

  /**
   * Going unseen this long, the bus may have driven on to its last call meanwhile (at no more than
   * a bus's pace in town, and no earlier than a while before the call's time), finished its trip
   * unseen (a coverage hole, a terminal without power) and driven on. Seen off its path after it,
   * directly or after coming back along the path, it is no longer on this trip; a silence this
   * long is an alarm of its own.
   */
  const couldHaveFinishedUnseen = (unseenMs: number, ms: number) => {
    const remainingM = Math.max(0, calls[calls.length - 1]!.alongM - Math.max(alongM, 0))
    return (
      ms >= trip.lastStopAt.getTime() - FINISH_UNSEEN_EARLY_MS &&
      (remainingM / (unseenMs / 1000)) * 3.6 <= FINISH_UNSEEN_KMH
    )
  }

  /** The calls strictly between two places along the path, not arrived at nor crossed before. */
  const cross = (fromM: number, toM: number, crossed: CallCrossing[]) => {
    calls.forEach((call, index) => {
      if (call.alongM <= fromM || call.alongM >= toM || arrived.has(index) || crossedCalls.has(index)) return
      crossedCalls.add(index)
      crossed.push({ index, witnessed: gapMs <= maxGapMs })
    })
  }

  /** Marks the call and the calls at the same place next to it: the stop rule arrives at one of them. */
  const markArrived = (index: number) => {
    const at = calls[index]!
    const samePlace = (j: number) =>
      calls[j] && haversineM(calls[j].lat, calls[j].lon, at.lat, at.lon) <= options.stopRadiusM
    let from = index
    let to = index
    while (samePlace(from - 1) && !arrived.has(from - 1)) from--
    while (samePlace(to + 1)) to++
    for (let j = from; j <= to; j++) arrived.add(j)
    return to
  }

  /**
   * An arrival places the bus at the call, back or forth. Before the trip has begun, an arrival at
   * a later call than the first begins it only once the first call's time has come: a bus on its
   * way to the first call may pass another slowly enough for the stop rule to count it.
   */
  const arrive = (index: number, ms: number, crossed: CallCrossing[]) => {
    const last = markArrived(index)
    if (!engaged) {
      if (index > 0 && ms < trip.firstStopAt.getTime()) return
      engaged = true
      begunAt = { index, seen: gapMs <= maxGapMs }
    } else {
      cross(alongM, calls[index]!.alongM, crossed)
    }
    alongM = calls[index]!.alongM
    placedMs = ms
    gapMs = 0
    mayHaveFinishedUnseen = false
    jump = undefined
    if (last === calls.length - 1) finished = true
  }

  return {
    path,
    get engaged() {
      return engaged
    },
    get finished() {
      return finished
    },
    get alongM() {
      return alongM
    },
    get lastFixMs() {
      return lastFixMs
    },
    /**
     * Whether the bus's fixes would show a call it made at call `index`, not gone past: before
     * where its trip began, if no fix was more than maxFixGapS from the next until then; after,
     * if none was since it was last placed on its path.
     */
    wouldHaveSeen(index: number): boolean {
      return index < begunAt.index ? begunAt.seen : gapMs <= maxGapMs
    },
    hasArrived: (index: number) => arrived.has(index),

    /**
     * One fix of the trip, in time order, with the calls the stop rule arrived at on it (indexes
     * into the trip's stops). Undefined until the bus's trip has begun, and after the fix that
     * ended it.
     */
    observe(fix: RouteFix, arrivals: readonly number[]): ProgressStep | undefined {
      const ms = fix.ts.getTime()
      const unseenMs = Number.isFinite(lastFixMs) ? ms - lastFixMs : 0
      gapMs = Math.max(gapMs, unseenMs)
      if (unseenMs > maxGapMs) {
        unseenSincePlaced = true
        mayHaveFinishedUnseen = engaged && couldHaveFinishedUnseen(unseenMs, ms)
      }
      lastFixMs = ms
      // Last placed near its last call and then unseen (a coverage hole there): it got there unseen.
      const lastCall = calls[calls.length - 1]!
      if (engaged && unseenMs > maxGapMs && alongM >= lastCall.alongM - options.passRadiusM) finished = true
      if (finished) return undefined
      const crossed: CallCrossing[] = []
      for (const index of arrivals) arrive(index, ms, crossed)
      const first = calls[0]!
      if (!engaged && haversineM(fix.lat, fix.lon, first.lat, first.lon) <= options.stopRadiusM) {
        engaged = true
        alongM = first.alongM
        placedMs = ms
        gapMs = 0
      }
      if (!engaged) return undefined

      const xM = route.projection.xM(fix.lon)
      const yM = route.projection.yM(fix.lat)
      const sinceS = Math.max(0, (ms - placedMs) / 1000)
      const aheadM = (options.maxSpeedKmh / 3.6) * sinceS + options.corridorM
      const placed = placeOnPath(
        path,
        xM,
        yM,
        {
          fromM: alongM,
          backM: options.progressBackM,
          aheadM,
          expectedM: alongM + Math.min(aheadM, (fix.speedKmh / 3.6) * sinceS),
        },
        options.corridorM,
      )
      // A call may lie off the road the router took (a stop in a school yard): near it is on the path.
      const onPath =
        placed.offM <= options.corridorM ||
        calls.some((call) => haversineM(fix.lat, fix.lon, call.lat, call.lon) <= options.corridorM)
      if (!onPath && mayHaveFinishedUnseen) {
        finished = true
        return undefined
      }
      let placedAtM = placed.alongM
      if (placed.ahead && placedAtM !== null) {
        // A jump ahead holds once fixes keep to it for a while: a GPS jump that lands on another
        // part of the path lasts a few seconds.
        const reachM = jump
          ? (options.maxSpeedKmh / 3.6) * ((ms - jump.lastMs) / 1000) + options.corridorM
          : 0
        if (jump && placedAtM >= jump.alongM - options.progressBackM && placedAtM <= jump.alongM + reachM) {
          jump = { ...jump, alongM: Math.max(jump.alongM, placedAtM), lastMs: ms, fixes: jump.fixes + 1 }
        } else {
          jump = { alongM: placedAtM, firstAlongM: placedAtM, firstMs: ms, lastMs: ms, fixes: 1 }
        }
        const held =
          jump.fixes >= options.jumpConfirmFixes &&
          jump.lastMs - jump.firstMs >= options.jumpConfirmS * 1000 &&
          jump.alongM - jump.firstAlongM >= JUMP_ADVANCE_M
        placedAtM = held ? jump.alongM : null
        if (held) jump = undefined
      } else if (placedAtM !== null) {
        jump = undefined
      }
      if (placedAtM !== null && !finished) {
        // Seen again well behind where it got to (it turned back), the bus was not seen going on.
        if (unseenSincePlaced) {
          unseenFromM = placedAtM
          unseenSincePlaced = false
        }
        const onward =
          placedAtM >= alongM - BACK_NOISE_M &&
          (unseenFromM === null || placedAtM >= unseenFromM + options.passedByM)
        if (placedAtM > alongM) {
          cross(alongM, placedAtM + 1e-9, crossed)
          alongM = placedAtM
        }
        placedMs = ms
        if (onward) {
          gapMs = 0
          unseenFromM = null
          mayHaveFinishedUnseen = false
        }
      }
      return { fix, ms, offM: placed.offM, onPath, alongM, crossed, arrived: [...arrivals], finished }
    },
  }
}

export type TripProgress = ReturnType<typeof createTripProgress>
