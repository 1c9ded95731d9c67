import type { RoadGraph } from './road-graph.js'
import type { RoadPosition } from './segment-grid.js'
import type { SearchSeed } from './upward-search.js'

/** A seed that also says which way along its piece the path leaves or reaches the position. */
export interface PositionSeed extends SearchSeed {
  alongPiece: boolean
}

interface PieceShare {
  ahead: { durationS: number; distanceM: number }
  behind: { durationS: number; distanceM: number }
}

function splitPiece(graph: RoadGraph, position: RoadPosition): PieceShare {
  const lengthM = graph.pieceLengthM[position.piece]
  const durationS = graph.pieceDurationS[position.piece]
  const share = lengthM > 0 ? position.alongM / lengthM : 0
  return {
    ahead: { durationS: (1 - share) * durationS, distanceM: lengthM - position.alongM },
    behind: { durationS: share * durationS, distanceM: position.alongM },
  }
}

/** The nodes a path from this position starts at, with the cost of reaching them. */
export function seedsLeaving(graph: RoadGraph, position: RoadPosition): PositionSeed[] {
  const { ahead, behind } = splitPiece(graph, position)
  const seeds: PositionSeed[] = []
  if (graph.pieceForward[position.piece])
    seeds.push({ node: graph.pieceTo[position.piece], ...ahead, alongPiece: true })
  if (graph.pieceBackward[position.piece])
    seeds.push({ node: graph.pieceFrom[position.piece], ...behind, alongPiece: false })
  return seeds
}

/** The nodes a path to this position ends at, with the cost of the rest of the way. */
export function seedsArriving(graph: RoadGraph, position: RoadPosition): PositionSeed[] {
  const { ahead, behind } = splitPiece(graph, position)
  const seeds: PositionSeed[] = []
  if (graph.pieceForward[position.piece])
    seeds.push({ node: graph.pieceFrom[position.piece], ...behind, alongPiece: true })
  if (graph.pieceBackward[position.piece])
    seeds.push({ node: graph.pieceTo[position.piece], ...ahead, alongPiece: false })
  return seeds
}

/** The way from one position to another along their common piece, when the direction allows it. */
export function findDirectOnPiece(
  graph: RoadGraph,
  from: RoadPosition,
  to: RoadPosition,
): { durationS: number; distanceM: number; alongPiece: boolean } | undefined {
  if (from.piece !== to.piece) return undefined
  const p = from.piece
  const gapM = to.alongM - from.alongM
  const alongPiece = gapM >= 0
  if (alongPiece ? !graph.pieceForward[p] : !graph.pieceBackward[p]) return undefined
  const lengthM = graph.pieceLengthM[p]
  const durationS = lengthM > 0 ? (Math.abs(gapM) / lengthM) * graph.pieceDurationS[p] : 0
  return { durationS, distanceM: Math.abs(gapM), alongPiece }
}
