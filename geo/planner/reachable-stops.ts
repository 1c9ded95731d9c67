import type { LatLon } from '../lat-lon.js'
import type { RoadGraph } from '../routing/road-graph.js'
import type { RoadPosition, SegmentGrid } from '../routing/segment-grid.js'
import type { StopCandidates } from './stop-candidates.js'
import { BoundedWalkSearch, isWalkablePiece, type WalkNetwork } from './walk-network.js'

/**
 * For each home, the stop candidates within its walk limit and the walk to each, nearest first:
 * home h's are candidate[start[h]..start[h+1]) with walkM alongside.
 */
export interface ReachableStops {
  start: Int32Array
  candidate: Int32Array
  walkM: Float64Array
}

/** Nearest pieces looked at to find the nearest one a pedestrian may walk on. */
const NEAREST_PIECES = 4

/**
 * A home reaches the road at its nearest point on a walkable piece, in a straight line; from
 * there it walks along roads only. Roads behind a river or a wall therefore count by the way
 * round, however close they are as the crow flies.
 */
export function findReachableStops(
  homes: { home: LatLon; walkLimitM: number }[],
  context: { graph: RoadGraph; network: WalkNetwork; grid: SegmentGrid; candidates: StopCandidates },
): ReachableStops {
  const { graph, network, grid, candidates } = context
  const walks = new BoundedWalkSearch(graph, network)
  const bestM = new Float64Array(candidates.count)
  const stamp = new Int32Array(candidates.count).fill(-1)
  const start = new Int32Array(homes.length + 1)
  const found: { candidate: number; walkM: number }[] = []
  const allCandidates: number[] = []
  const allWalks: number[] = []

  homes.forEach(({ home, walkLimitM }, h) => {
    found.length = 0
    const offer = (candidate: number, walkM: number) => {
      if (walkM > walkLimitM) return
      if (stamp[candidate] !== h) {
        stamp[candidate] = h
        bestM[candidate] = walkM
        found.push({ candidate, walkM })
      } else if (walkM < bestM[candidate]) {
        bestM[candidate] = walkM
      }
    }
    const access = grid
      .findNearest(home.lat, home.lon, walkLimitM, NEAREST_PIECES)
      .find((position) => isWalkablePiece(graph, position.piece))
    if (access) {
      walks.search(seedsOf(graph, access), walkLimitM)
      for (const node of walks.settled) offerFromNode(context, walks, node, offer)
      offerOnAccessPiece(candidates, access, offer)
    }
    const sorted = found
      .map(({ candidate }) => ({ candidate, walkM: bestM[candidate] }))
      .sort((a, b) => a.walkM - b.walkM || a.candidate - b.candidate)
    for (const entry of sorted) {
      allCandidates.push(entry.candidate)
      allWalks.push(entry.walkM)
    }
    start[h + 1] = allCandidates.length
  })
  return { start, candidate: Int32Array.from(allCandidates), walkM: Float64Array.from(allWalks) }
}

function seedsOf(graph: RoadGraph, access: RoadPosition): { node: number; walkM: number }[] {
  const lengthM = graph.pieceLengthM[access.piece]
  return [
    { node: graph.pieceFrom[access.piece], walkM: access.distanceM + access.alongM },
    { node: graph.pieceTo[access.piece], walkM: access.distanceM + lengthM - access.alongM },
  ]
}

/** The node itself and the point candidates on the pieces that leave it. */
function offerFromNode(
  context: { graph: RoadGraph; network: WalkNetwork; candidates: StopCandidates },
  walks: BoundedWalkSearch,
  node: number,
  offer: (candidate: number, walkM: number) => void,
): void {
  const { graph, network, candidates } = context
  const nodeM = walks.walkTo(node)
  if (candidates.nodeCandidate[node] >= 0) offer(node, nodeM)
  for (let k = network.start[node]; k < network.start[node + 1]; k++) {
    const piece = network.piece[k]
    const fromStart = graph.pieceFrom[piece] === node
    const lengthM = graph.pieceLengthM[piece]
    for (let c = candidates.pointStart[piece]; c < candidates.pointStart[piece + 1]; c++) {
      const alongM = candidates.pointAlongM[c - graph.nodeCount]
      offer(c, nodeM + (fromStart ? alongM : lengthM - alongM))
    }
  }
}

/** Points on the home's own piece are reached directly, without going round by a node. */
function offerOnAccessPiece(
  candidates: StopCandidates,
  access: RoadPosition,
  offer: (candidate: number, walkM: number) => void,
): void {
  const nodeCount = candidates.nodeCandidate.length
  for (let c = candidates.pointStart[access.piece]; c < candidates.pointStart[access.piece + 1]; c++)
    offer(c, access.distanceM + Math.abs(candidates.pointAlongM[c - nodeCount] - access.alongM))
}
