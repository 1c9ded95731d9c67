import { GeoError } from '../geo-error.js'
import type { RoadGraph } from '../routing/road-graph.js'
import { SegmentGrid } from '../routing/segment-grid.js'
import { validatePoint } from '../routing/validate-points.js'
import { chooseStops } from './cover-stops.js'
import type { PlannedStop, PlanPupil, PlanSettings, UnservedPupil } from './plan-model.js'
import { findReachableStops } from './reachable-stops.js'
import { listStopCandidates, locateCandidate, nameCandidateRoad } from './stop-candidates.js'
import { buildWalkNetwork } from './walk-network.js'

export type StopSettings = Pick<
  PlanSettings,
  'walkLimitM' | 'youngWalkLimitM' | 'youngGradesUpTo' | 'stopCapacity' | 'minStopPupils'
>

export interface StopPlacement {
  stops: PlannedStop[]
  unserved: UnservedPupil[]
  /** Pupil id → walk on the road network from the home to its stop, for served pupils only. */
  walkM: Map<string, number>
}

/** Point candidates split longer pieces into stretches of about this length. */
const CANDIDATE_SPACING_M = 100

/**
 * Places the stops a set of pupils walks to: every pupil within its walk limit on the road
 * network, every stop on a road a bus may stop on with between minStopPupils and stopCapacity
 * pupils, as few stops as the greedy cover finds and then short walks. Pupils who cannot be
 * served are listed in `unserved` with the reason; nobody is left out.
 */
export function placeStops(pupils: PlanPupil[], graph: RoadGraph, settings: StopSettings): StopPlacement {
  validateInput(pupils, settings)
  const network = buildWalkNetwork(graph)
  const candidates = listStopCandidates(graph, network, { spacingM: CANDIDATE_SPACING_M })
  const reach = findReachableStops(
    pupils.map((pupil) => ({ home: pupil.home, walkLimitM: findWalkLimitM(pupil, settings) })),
    { graph, network, grid: new SegmentGrid(graph), candidates },
  )
  const { stopOf, opened } = chooseStops(reach, candidates.count, settings)

  const pupilsAt = new Map<number, number[]>(opened.map((c) => [c, []]))
  const unserved: UnservedPupil[] = []
  const walkM = new Map<string, number>()
  pupils.forEach((pupil, h) => {
    const c = stopOf[h]
    if (c === -1) {
      const reason = reach.start[h + 1] > reach.start[h] ? 'lone_home' : 'no_bus_road_within_walk_limit'
      unserved.push({ pupilId: pupil.id, reason })
      return
    }
    pupilsAt.get(c)!.push(h)
    for (let k = reach.start[h]; k < reach.start[h + 1]; k++)
      if (reach.candidate[k] === c) walkM.set(pupil.id, reach.walkM[k])
  })

  const nameStop = createStopNamer()
  const stops = opened.map((c, i): PlannedStop => {
    const members = pupilsAt.get(c)!
    return {
      id: `stop-${String(i + 1).padStart(3, '0')}`,
      name: nameStop(nameCandidateRoad(graph, network, candidates, c), i + 1),
      location: locateCandidate(graph, candidates, c),
      pupilIds: members.map((h) => pupils[h]!.id),
      schoolIds: [...new Set(members.map((h) => pupils[h]!.schoolId))].sort(),
      maxWalkM: Math.max(...members.map((h) => walkM.get(pupils[h]!.id)!)),
    }
  })
  return { stops, unserved, walkM }
}

export function findWalkLimitM(pupil: PlanPupil, settings: StopSettings): number {
  return pupil.grade <= settings.youngGradesUpTo ? settings.youngWalkLimitM : settings.walkLimitM
}

/** `${road}站`, numbered from the second stop on the same road; `${n}号站` on an unnamed road. */
function createStopNamer(): (road: string | undefined, stopNumber: number) => string {
  const usedOnRoad = new Map<string, number>()
  return (road, stopNumber) => {
    if (!road) return `${stopNumber}号站`
    const count = (usedOnRoad.get(road) ?? 0) + 1
    usedOnRoad.set(road, count)
    return count === 1 ? `${road}站` : `${road}${count}站`
  }
}

function validateInput(pupils: PlanPupil[], settings: StopSettings): void {
  const seen = new Set<string>()
  pupils.forEach((pupil, i) => {
    validatePoint(pupil.home, `pupils[${i}].home`)
    if (seen.has(pupil.id))
      throw new GeoError('invalid_input', `pupils[${i}].id ${pupil.id} is listed twice`, {
        field: `pupils[${i}].id`,
      })
    seen.add(pupil.id)
  })
  const checks: [keyof StopSettings, boolean][] = [
    ['walkLimitM', Number.isFinite(settings.walkLimitM) && settings.walkLimitM >= 0],
    ['youngWalkLimitM', Number.isFinite(settings.youngWalkLimitM) && settings.youngWalkLimitM >= 0],
    ['youngGradesUpTo', Number.isFinite(settings.youngGradesUpTo)],
    ['stopCapacity', Number.isInteger(settings.stopCapacity) && settings.stopCapacity >= 1],
    [
      'minStopPupils',
      Number.isInteger(settings.minStopPupils) &&
        settings.minStopPupils >= 1 &&
        settings.minStopPupils <= settings.stopCapacity,
    ],
  ]
  for (const [name, valid] of checks) {
    if (!valid)
      throw new GeoError('invalid_input', `settings.${name} ${String(settings[name])} is out of range`, {
        field: `settings.${name}`,
      })
  }
}
