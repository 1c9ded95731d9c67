import type { LatLon } from '../lat-lon.js'
import { roadClasses, type RoadClass } from '../roads/road-network.js'
import type { RoadGraph } from '../routing/road-graph.js'
import type { WalkNetwork } from './walk-network.js'

/**
 * Where a stop may go: every node on a road a bus may stop on, and points spaced about
 * `spacingM` apart inside longer pieces of such roads, so that a long village road offers stops
 * between its crossings. Candidates 0..nodeCount-1 are the nodes (-1 where no bus may stop);
 * the points of piece p follow, numbered from pointStart[p].
 */
export interface StopCandidates {
  count: number
  nodeCandidate: Int32Array
  pointStart: Int32Array
  pointAlongM: Float64Array
  /** The piece of each point candidate, indexed by candidate - nodeCount. */
  pointPiece: Int32Array
}

/** Buses neither stop on motorways nor on trunk roads (expressway-like, no safe kerb). */
function isStopRoad(roadClass: RoadClass): boolean {
  return roadClass !== 'motorway' && roadClass !== 'trunk'
}

export function listStopCandidates(
  graph: RoadGraph,
  network: WalkNetwork,
  options: { spacingM: number },
): StopCandidates {
  const nodeCandidate = new Int32Array(graph.nodeCount).fill(-1)
  for (let v = 0; v < graph.nodeCount; v++) {
    for (let k = network.start[v]; k < network.start[v + 1]; k++) {
      if (isStopRoad(graph.pieceRoadClass[network.piece[k]])) nodeCandidate[v] = v
    }
  }
  const pointStart = new Int32Array(graph.pieceCount + 1)
  const along: number[] = []
  const pieces: number[] = []
  for (let p = 0; p < graph.pieceCount; p++) {
    pointStart[p] = graph.nodeCount + along.length
    const lengthM = graph.pieceLengthM[p]
    const parts = isStopRoad(graph.pieceRoadClass[p]) ? Math.round(lengthM / options.spacingM) : 0
    for (let k = 1; k < parts; k++) {
      along.push((k * lengthM) / parts)
      pieces.push(p)
    }
  }
  pointStart[graph.pieceCount] = graph.nodeCount + along.length
  return {
    count: graph.nodeCount + along.length,
    nodeCandidate,
    pointStart,
    pointAlongM: Float64Array.from(along),
    pointPiece: Int32Array.from(pieces),
  }
}

export function locateCandidate(graph: RoadGraph, candidates: StopCandidates, candidate: number): LatLon {
  if (candidate < graph.nodeCount) return { lat: graph.nodeLat[candidate], lon: graph.nodeLon[candidate] }
  const point = candidate - graph.nodeCount
  const piece = candidates.pointPiece[point]
  const alongM = candidates.pointAlongM[point]
  let i = graph.coordStart[piece]
  while (i + 2 < graph.coordStart[piece + 1] && graph.coordAlongM[i + 1] < alongM) i++
  const spanM = graph.coordAlongM[i + 1] - graph.coordAlongM[i]
  const t = spanM > 0 ? (alongM - graph.coordAlongM[i]) / spanM : 0
  return {
    lat: graph.coordLat[i] + t * (graph.coordLat[i + 1] - graph.coordLat[i]),
    lon: graph.coordLon[i] + t * (graph.coordLon[i + 1] - graph.coordLon[i]),
  }
}

/**
 * The name of the road a candidate lies on; at a crossing, the most important named road a bus
 * may stop on (the lowest piece number among equals, so that the choice is stable).
 */
export function nameCandidateRoad(
  graph: RoadGraph,
  network: WalkNetwork,
  candidates: StopCandidates,
  candidate: number,
): string | undefined {
  if (candidate >= graph.nodeCount) return graph.pieceName[candidates.pointPiece[candidate - graph.nodeCount]]
  let best: { name: string; rank: number; piece: number } | undefined
  for (let k = network.start[candidate]; k < network.start[candidate + 1]; k++) {
    const piece = network.piece[k]
    const name = graph.pieceName[piece]
    if (!name || !isStopRoad(graph.pieceRoadClass[piece])) continue
    const rank = roadClasses.indexOf(graph.pieceRoadClass[piece])
    if (!best || rank < best.rank || (rank === best.rank && piece < best.piece)) best = { name, rank, piece }
  }
  return best?.name
}
