import type { LonLatPosition } from '../lat-lon.js'
import { DEFAULT_GPS_ACCURACY_M, type MatchedTrace, type SnappedPoint, type TraceFix } from './router.js'
import type { RoadGraph } from './road-graph.js'
import type { SegmentGrid, RoadPosition } from './segment-grid.js'
import type { FastestPathFinder } from './fastest-path.js'
import { GeoError } from '../geo-error.js'
import { haversineM } from './earth-distance.js'

/** A fix is looked for within this many times its accuracy, as OSRM does. */
const SEARCH_RADIUS_FACTOR = 3
const CANDIDATES_PER_FIX = 5
/** Scale of the transition penalty, |road distance − straight distance|, in metres. */
const TRANSITION_SCALE_M = 10

interface Step {
  fix: number
  candidates: RoadPosition[]
  /** Best log-probability of ending at each candidate, and the previous candidate it came from. */
  score: number[]
  previous: number[]
}

/**
 * A hidden Markov model map matcher (Newson & Krumm 2009): candidates are the nearest pieces of
 * road around each fix; a candidate is likelier the closer it is to its fix (Gaussian in the fix's
 * accuracy), and a move between candidates of consecutive fixes is likelier the closer its road
 * distance is to the straight distance between the fixes. Viterbi picks the likeliest sequence.
 * Where no road path links two fixes the trace is cut and matched on in a new piece; a piece of
 * one fix alone is left unmatched. Timestamps are not used.
 *
 * `confidence` is the share of fixes matched times the ratio of the shorter to the longer of the
 * straight and the road distance over the matched fixes: 1 when every fix lies on the road path.
 */
export function matchTraceOnGraph(
  graph: RoadGraph,
  grid: SegmentGrid,
  finder: FastestPathFinder,
  trace: readonly TraceFix[],
  options: { defaultAccuracyM: number | undefined },
): MatchedTrace {
  const chains: Step[][] = [[]]
  trace.forEach((fix, i) => {
    const accuracyM = fix.accuracyM ?? options.defaultAccuracyM ?? DEFAULT_GPS_ACCURACY_M
    const candidates = grid.findNearest(
      fix.lat,
      fix.lon,
      SEARCH_RADIUS_FACTOR * accuracyM,
      CANDIDATES_PER_FIX,
    )
    if (candidates.length === 0) return
    const emission = candidates.map((candidate) => -0.5 * (candidate.distanceM / accuracyM) ** 2)
    const chain = chains[chains.length - 1]!
    const last = chain[chain.length - 1]
    const step: Step = { fix: i, candidates, score: emission, previous: candidates.map(() => -1) }
    if (last && !linkStep(last, step, trace, finder)) chains.push([step])
    else chain.push(step)
  })

  const tracepoints: (SnappedPoint | null)[] = trace.map(() => null)
  const coordinates: LonLatPosition[] = []
  let distanceM = 0
  let durationS = 0
  let straightM = 0
  let matchedFixes = 0
  for (const chain of chains.filter((c) => c.length >= 2)) {
    const chosen = backtrack(chain)
    chosen.forEach((position, k) => {
      const fix = trace[chain[k]!.fix]!
      const name = graph.pieceName[position.piece]
      tracepoints[chain[k]!.fix] = {
        location: { lat: position.lat, lon: position.lon },
        distanceM: position.distanceM,
        ...(name === undefined ? {} : { name }),
      }
      matchedFixes++
      if (k === 0) return
      const path = finder.find(chosen[k - 1]!, position)!
      const previousFix = trace[chain[k - 1]!.fix]!
      straightM += haversineM(previousFix.lat, previousFix.lon, fix.lat, fix.lon)
      distanceM += path.distanceM
      durationS += path.durationS
      coordinates.push(...(coordinates.length > 0 ? path.coordinates.slice(1) : path.coordinates))
    })
  }
  if (matchedFixes === 0) {
    throw new GeoError('no_route', 'trace: no two consecutive fixes could be matched to a road path', {
      field: 'trace',
    })
  }
  const fit =
    Math.max(straightM, distanceM) === 0 ? 1 : Math.min(straightM, distanceM) / Math.max(straightM, distanceM)
  return {
    tracepoints,
    geometry: { type: 'LineString', coordinates },
    distanceM,
    durationS,
    confidence: (matchedFixes / trace.length) * fit,
  }
}

/** Adds to the step's scores the best way from the last step; false, step untouched, when there is none. */
function linkStep(last: Step, step: Step, trace: readonly TraceFix[], finder: FastestPathFinder): boolean {
  const a = trace[last.fix]!
  const b = trace[step.fix]!
  const straightM = haversineM(a.lat, a.lon, b.lat, b.lon)
  const previous = step.candidates.map(() => -1)
  const best = step.candidates.map((candidate, c) => {
    let bestScore = -Infinity
    last.candidates.forEach((from, p) => {
      const path = last.score[p] === -Infinity ? undefined : finder.find(from, candidate, false)
      if (!path) return
      const score = last.score[p]! - Math.abs(path.distanceM - straightM) / TRANSITION_SCALE_M
      if (score > bestScore) {
        bestScore = score
        previous[c] = p
      }
    })
    return bestScore
  })
  if (best.every((score) => score === -Infinity)) return false
  step.score = step.score.map((emission, c) => emission + best[c]!)
  step.previous = previous
  return true
}

function backtrack(chain: Step[]): RoadPosition[] {
  const last = chain[chain.length - 1]!
  let index = last.score.indexOf(Math.max(...last.score))
  const chosen: RoadPosition[] = []
  for (let k = chain.length - 1; k >= 0; k--) {
    const step = chain[k]!
    chosen.push(step.candidates[index]!)
    index = step.previous[index]!
  }
  return chosen.reverse()
}
