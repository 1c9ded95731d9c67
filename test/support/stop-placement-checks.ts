import { expect } from 'vitest'
import type { LatLon } from '../../geo/lat-lon.js'
import { MinHeap } from '../../geo/routing/min-heap.js'
import type { RoadGraph } from '../../geo/routing/road-graph.js'
import { SegmentGrid, type RoadPosition } from '../../geo/routing/segment-grid.js'
import { findWalkLimitM, type StopPlacement, type StopSettings } from '../../geo/planner/place-stops.js'
import type { PlanPupil } from '../../geo/planner/plan-model.js'

/**
 * Test support: the invariants every stop placement must keep, checked without the placement's
 * own search. Walks are recomputed with a plain Dijkstra over the whole walkable network.
 */
export function expectValidPlacement(
  pupils: PlanPupil[],
  graph: RoadGraph,
  settings: StopSettings,
  placement: StopPlacement,
): void {
  const served = placement.stops.flatMap((stop) => stop.pupilIds)
  const unserved = placement.unserved.map((entry) => entry.pupilId)
  expect([...served, ...unserved].sort()).toEqual(pupils.map((pupil) => pupil.id).sort())
  expect([...placement.walkM.keys()].sort()).toEqual([...served].sort())

  const walker = new NetworkWalker(graph)
  const pupilById = new Map(pupils.map((pupil) => [pupil.id, pupil]))
  for (const stop of placement.stops) {
    expect(stop.pupilIds.length).toBeLessThanOrEqual(settings.stopCapacity)
    expect(stop.pupilIds.length).toBeGreaterThanOrEqual(settings.minStopPupils)
    expect(walker.isOnStopRoad(stop.location)).toBe(true)
    const schools = new Set(stop.pupilIds.map((id) => pupilById.get(id)!.schoolId))
    expect([...stop.schoolIds].sort()).toEqual([...schools].sort())
    let longestM = 0
    for (const id of stop.pupilIds) {
      const pupil = pupilById.get(id)!
      const walkM = walker.measureWalkM(pupil.home, stop.location, findWalkLimitM(pupil, settings) + 0.5)
      expect(walkM).toBeLessThan(Infinity)
      expect(Math.abs(walkM - placement.walkM.get(id)!)).toBeLessThan(0.5)
      longestM = Math.max(longestM, placement.walkM.get(id)!)
    }
    expect(stop.maxWalkM).toBeCloseTo(longestM, 6)
  }
}

export class NetworkWalker {
  private readonly grid: SegmentGrid
  private readonly arcs: { to: number; lengthM: number }[][]

  constructor(private readonly graph: RoadGraph) {
    this.grid = new SegmentGrid(graph)
    this.arcs = Array.from({ length: graph.nodeCount }, () => [])
    for (let p = 0; p < graph.pieceCount; p++) {
      if (graph.pieceRoadClass[p] === 'motorway') continue
      const lengthM = graph.pieceLengthM[p]
      this.arcs[graph.pieceFrom[p]]!.push({ to: graph.pieceTo[p], lengthM })
      this.arcs[graph.pieceTo[p]]!.push({ to: graph.pieceFrom[p], lengthM })
    }
  }

  isOnStopRoad(point: LatLon): boolean {
    return this.grid
      .findNearest(point.lat, point.lon, 0.5, 8)
      .some((position) => !['motorway', 'trunk'].includes(this.graph.pieceRoadClass[position.piece]))
  }

  /**
   * Straight to the nearest walkable road, then the shortest way along roads to the point;
   * Infinity when longer than `boundM`.
   */
  measureWalkM(home: LatLon, point: LatLon, boundM: number): number {
    const access = this.findWalkablePosition(home, 5000)
    const target = this.findWalkablePosition(point, 0.5)
    if (!access || !target) return Infinity
    const nodeM = this.walkFrom(access, boundM)
    const { graph } = this
    const lengthM = graph.pieceLengthM[target.piece]
    let walkM = Math.min(
      nodeM[graph.pieceFrom[target.piece]] + target.alongM,
      nodeM[graph.pieceTo[target.piece]] + lengthM - target.alongM,
    )
    if (access.piece === target.piece) walkM = Math.min(walkM, Math.abs(access.alongM - target.alongM))
    const totalM = access.distanceM + walkM + target.distanceM
    return totalM <= boundM ? totalM : Infinity
  }

  private findWalkablePosition(point: LatLon, radiusM: number): RoadPosition | undefined {
    return this.grid
      .findNearest(point.lat, point.lon, radiusM, 8)
      .find((position) => this.graph.pieceRoadClass[position.piece] !== 'motorway')
  }

  /** Walks from the access position (not counting the way to it) to every node within `boundM`. */
  private walkFrom(access: RoadPosition, boundM: number): Float64Array {
    const { graph } = this
    const nodeM = new Float64Array(graph.nodeCount).fill(Infinity)
    const heap = new MinHeap()
    const reach = (node: number, walkM: number) => {
      if (walkM >= nodeM[node] || walkM > boundM) return
      nodeM[node] = walkM
      heap.push(walkM, node)
    }
    reach(graph.pieceFrom[access.piece], access.alongM)
    reach(graph.pieceTo[access.piece], graph.pieceLengthM[access.piece] - access.alongM)
    while (heap.size > 0) {
      const walkM = heap.peekKey()
      const node = heap.pop()
      if (walkM > nodeM[node]) continue
      for (const { to, lengthM } of this.arcs[node]!) reach(to, walkM + lengthM)
    }
    return nodeM
  }
}
