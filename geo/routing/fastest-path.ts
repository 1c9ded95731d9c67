import type { LonLatPosition } from '../lat-lon.js'
import type { RoadGraph } from './road-graph.js'
import type { ContractionHierarchy } from './contraction-hierarchy.js'
import type { RoadPosition } from './segment-grid.js'
import { UpwardSearch } from './upward-search.js'
import { findDirectOnPiece, seedsArriving, seedsLeaving } from './road-position-seeds.js'
import { PathShape } from './road-path-geometry.js'

export interface FastestPath {
  durationS: number
  distanceM: number
  coordinates: LonLatPosition[]
}

/** Point-to-point queries on a contraction hierarchy, between snapped road positions. */
export class FastestPathFinder {
  private readonly forward: UpwardSearch
  private readonly backward: UpwardSearch

  constructor(
    private readonly graph: RoadGraph,
    private readonly ch: ContractionHierarchy,
  ) {
    this.forward = UpwardSearch.forward(ch)
    this.backward = UpwardSearch.backward(ch)
  }

  /**
   * The fastest path, or undefined when the direction of one-way roads leaves none. Without
   * `withShape` the coordinates stay empty, for callers that only need the costs.
   */
  find(from: RoadPosition, to: RoadPosition, withShape = true): FastestPath | undefined {
    const { forward, backward, graph } = this
    const leaving = seedsLeaving(graph, from)
    const arriving = seedsArriving(graph, to)
    forward.run(leaving)
    backward.run(arriving)
    let bestS = Infinity
    let meet = -1
    for (let k = 0; k < forward.settledCount; k++) {
      const v = forward.settled[k]
      if (!backward.reached(v)) continue
      const totalS = forward.durationS[v] + backward.durationS[v]
      if (totalS < bestS) {
        bestS = totalS
        meet = v
      }
    }
    const direct = findDirectOnPiece(graph, from, to)
    const shape = new PathShape(graph)
    if (direct && direct.durationS <= bestS) {
      if (!withShape) return { durationS: direct.durationS, distanceM: direct.distanceM, coordinates: [] }
      shape.addPosition(from)
      shape.addBetween(from.piece, from.alongM, to.alongM)
      shape.addPosition(to)
      return { durationS: direct.durationS, distanceM: direct.distanceM, coordinates: shape.coordinates }
    }
    if (meet === -1) return undefined
    const distanceM = forward.distanceM[meet] + backward.distanceM[meet]
    if (!withShape) return { durationS: bestS, distanceM, coordinates: [] }
    const arcs = this.unpackArcs(meet)
    shape.addLeaving(from, leaving[forward.seedOf[arcs.start]]!.alongPiece)
    for (const arc of arcs.list) shape.addArc(arc)
    shape.addArriving(to, arriving[backward.seedOf[arcs.end]]!.alongPiece)
    return { durationS: bestS, distanceM, coordinates: shape.coordinates }
  }

  /** The road arcs from the forward seed through `meet` to the backward seed, shortcuts expanded. */
  private unpackArcs(meet: number): { list: number[]; start: number; end: number } {
    const { ch, forward, backward } = this
    const up: number[] = []
    let start = meet
    while (forward.parentEdge[start] !== -1) {
      up.push(forward.parentEdge[start])
      start = ch.edgeFrom[forward.parentEdge[start]]
    }
    const edges = up.reverse()
    let end = meet
    while (backward.parentEdge[end] !== -1) {
      edges.push(backward.parentEdge[end])
      end = ch.edgeTo[backward.parentEdge[end]]
    }
    const list: number[] = []
    for (const edge of edges) expandEdge(ch, edge, list)
    return { list, start, end }
  }
}

/** Appends the road arcs an edge stands for, in driving order. */
export function expandEdge(ch: ContractionHierarchy, edge: number, out: number[]): void {
  const stack = [edge]
  while (stack.length > 0) {
    const e = stack.pop()!
    if (ch.edgeArc[e] >= 0) out.push(ch.edgeArc[e])
    else stack.push(ch.edgeSecond[e], ch.edgeFirst[e])
  }
}
