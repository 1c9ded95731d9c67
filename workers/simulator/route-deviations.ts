import type { LatLon, LonLatPosition } from '../../geo/lat-lon.js'
import type { Router } from '../../geo/routing/router.js'
import type { Activity, BusPlan } from './bus-plan.js'
import { buildDrivePath, findSegment, locateAlong, type DrivePath } from './drive-path.js'
import type { RoadSpeedLookup } from './road-speed-lookup.js'

/**
 * A way a bus strays from its trip as approved (Decree 617 art. 30/32), to drive a simulated day
 * that route oversight must catch. Stops are counted from 0 in the trip's order; each leg (from a
 * call to the next) takes at most one deviation.
 */
export type RouteDeviation =
  /** The leg from call `fromStopIndex` to the next is driven by way of `via`, places on other roads. */
  | { kind: 'detour'; tripId: string; fromStopIndex: number; via: LatLon[] }
  /** The bus drives through call `stopIndex` without stopping (neither the first call nor the last). */
  | { kind: 'skip_call'; tripId: string; stopIndex: number }
  /** On the leg from call `fromStopIndex`, the bus stands `standS` seconds `atFraction` of the way along. */
  | { kind: 'unapproved_stand'; tripId: string; fromStopIndex: number; atFraction: number; standS: number }

/**
 * What a deviation made the bus do, and where: the truth oversight is scored against. `tag` names
 * the activity that does it (the detour's drive, the drive through the call, the stand), so that
 * the simulation tells when the bus began and ended it.
 */
export type AppliedDeviation = { tag: string } & (
  | { kind: 'detour'; tripId: string; fromStopIndex: number; driven: LonLatPosition[] }
  | { kind: 'skip_call'; tripId: string; stopIndex: number; stopId: string }
  | { kind: 'unapproved_stand'; tripId: string; fromStopIndex: number; at: LatLon; standS: number }
)

/** The tag of a deviation's activity: one deviation per leg, so unique in a bus's day. */
export const deviationTag = (deviation: RouteDeviation): string =>
  `${deviation.kind}:${deviation.tripId}:${deviation.kind === 'skip_call' ? deviation.stopIndex : deviation.fromStopIndex}`

export interface DeviationRoads {
  router: Router
  roadSpeedAt: RoadSpeedLookup
  brakingMs2: number
}

const coordinatesOf = (path: DrivePath): LonLatPosition[] =>
  Array.from(path.lat, (lat, i): LonLatPosition => [path.lon[i]!, lat])

/**
 * A bus's day plan with the deviations made: a detour is routed through its places, a skipped
 * call's two legs become one driven straight through, and an unapproved stand splits its leg
 * where the bus stops. The plan given is left as it was.
 */
export async function applyRouteDeviations(
  plan: BusPlan,
  deviations: readonly RouteDeviation[],
  roads: DeviationRoads,
): Promise<{ plan: BusPlan; applied: AppliedDeviation[] }> {
  const activities = [...plan.activities]
  const applied: AppliedDeviation[] = []
  const prepare = (coordinates: LonLatPosition[], nominalDurationS: number) =>
    buildDrivePath(coordinates, roads.roadSpeedAt, { brakingMs2: roads.brakingMs2, nominalDurationS })

  const callIndex = (tripId: string, stopIndex: number) => {
    const index = activities.findIndex(
      (activity) =>
        activity.kind === 'call' && activity.call.tripId === tripId && activity.call.stopIndex === stopIndex,
    )
    if (index < 0) throw new RangeError(`bus ${plan.busId} makes no call ${stopIndex} of trip ${tripId}`)
    return index
  }
  const driveAt = (index: number, what: string): DrivePath => {
    const activity = activities[index]
    if (activity?.kind !== 'drive') throw new RangeError(`${what}: no leg to drive there`)
    return activity.path
  }

  for (const deviation of deviations) {
    const what = `${deviation.kind} on trip ${deviation.tripId}`
    const tag = deviationTag(deviation)
    if (deviation.kind === 'detour') {
      const at = callIndex(deviation.tripId, deviation.fromStopIndex) + 1
      const leg = driveAt(at, what)
      const last = leg.lat.length - 1
      const route = await roads.router.route([
        { lat: leg.lat[0]!, lon: leg.lon[0]! },
        ...deviation.via,
        { lat: leg.lat[last]!, lon: leg.lon[last]! },
      ])
      activities[at] = { kind: 'drive', path: prepare(route.geometry.coordinates, route.durationS), tag }
      applied.push({
        tag,
        kind: 'detour',
        tripId: deviation.tripId,
        fromStopIndex: deviation.fromStopIndex,
        driven: route.geometry.coordinates,
      })
    } else if (deviation.kind === 'skip_call') {
      const at = callIndex(deviation.tripId, deviation.stopIndex)
      const call = activities[at]
      const [before, after] = [driveAt(at - 1, what), driveAt(at + 1, what)]
      const through = [...coordinatesOf(before), ...coordinatesOf(after).slice(1)]
      activities.splice(at - 1, 3, {
        kind: 'drive',
        path: prepare(through, before.nominalDurationS + after.nominalDurationS),
        tag,
      })
      applied.push({
        tag,
        kind: 'skip_call',
        tripId: deviation.tripId,
        stopIndex: deviation.stopIndex,
        stopId: call?.kind === 'call' ? call.call.stopId : '',
      })
    } else {
      const at = callIndex(deviation.tripId, deviation.fromStopIndex) + 1
      const leg = driveAt(at, what)
      const alongM = Math.min(1, Math.max(0, deviation.atFraction)) * leg.lengthM
      const segment = findSegment(leg, alongM, 0)
      const stop = locateAlong(leg, segment, alongM)
      const coordinates = coordinatesOf(leg)
      const share = leg.lengthM > 0 ? alongM / leg.lengthM : 0
      const stand: Activity = { kind: 'stand', standS: deviation.standS, tag }
      activities.splice(
        at,
        1,
        {
          kind: 'drive',
          path: prepare(
            [...coordinates.slice(0, segment + 1), [stop.lon, stop.lat]],
            leg.nominalDurationS * share,
          ),
        },
        stand,
        {
          kind: 'drive',
          path: prepare(
            [[stop.lon, stop.lat], ...coordinates.slice(segment + 1)],
            leg.nominalDurationS * (1 - share),
          ),
        },
      )
      applied.push({
        tag,
        kind: 'unapproved_stand',
        tripId: deviation.tripId,
        fromStopIndex: deviation.fromStopIndex,
        at: stop,
        standS: deviation.standS,
      })
    }
  }
  return { plan: { ...plan, activities }, applied }
}
