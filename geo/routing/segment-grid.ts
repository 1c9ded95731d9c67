import type { RoadGraph } from './road-graph.js'
import { createLocalProjection, haversineM, type LocalProjection } from './earth-distance.js'

/** A point on a piece of road, where a query point was snapped. */
export interface RoadPosition {
  piece: number
  /** Distance along the piece from its first coordinate. */
  alongM: number
  lon: number
  lat: number
  /** From the query point, on the sphere. */
  distanceM: number
}

/**
 * A uniform grid over the road segments in local metres. Every segment is listed in each cell its
 * bounding box touches; a query scans rings of cells outwards and stops once no unscanned cell can
 * hold anything nearer than what it has.
 */
export class SegmentGrid {
  private readonly projection: LocalProjection
  private readonly x: Float64Array
  private readonly y: Float64Array
  private readonly coordPiece: Int32Array
  private readonly columns: number
  private readonly rows: number
  private readonly cellStart: Int32Array
  private readonly cellSegments: Int32Array

  constructor(
    private readonly graph: RoadGraph,
    private readonly cellSizeM = 100,
  ) {
    const { bounds } = graph
    this.projection = createLocalProjection(bounds.minLat, bounds.minLon)
    const coordCount = graph.coordLon.length
    this.x = new Float64Array(coordCount)
    this.y = new Float64Array(coordCount)
    this.coordPiece = new Int32Array(coordCount)
    for (let p = 0; p < graph.pieceCount; p++) {
      for (let i = graph.coordStart[p]; i < graph.coordStart[p + 1]; i++) {
        this.x[i] = this.projection.xM(graph.coordLon[i])
        this.y[i] = this.projection.yM(graph.coordLat[i])
        this.coordPiece[i] = p
      }
    }
    this.columns = Math.floor(this.projection.xM(bounds.maxLon) / cellSizeM) + 1
    this.rows = Math.floor(this.projection.yM(bounds.maxLat) / cellSizeM) + 1
    this.cellStart = new Int32Array(this.columns * this.rows + 1)
    this.forEachSegmentCell((cell) => this.cellStart[cell + 1]++)
    for (let cell = 0; cell < this.columns * this.rows; cell++)
      this.cellStart[cell + 1] += this.cellStart[cell]
    const fill = this.cellStart.slice(0, -1)
    this.cellSegments = new Int32Array(this.cellStart[this.cellStart.length - 1])
    this.forEachSegmentCell((cell, segment) => (this.cellSegments[fill[cell]++] = segment))
  }

  /**
   * The nearest position on each of the `count` nearest pieces within `radiusM`, nearest first.
   * A segment is named by the index of its first coordinate.
   */
  findNearest(lat: number, lon: number, radiusM: number, count: number): RoadPosition[] {
    const px = this.projection.xM(lon)
    const py = this.projection.yM(lat)
    const column = Math.floor(px / this.cellSizeM)
    const row = Math.floor(py / this.cellSizeM)
    const best = new Map<number, { segment: number; t: number; planarM: number }>()
    const maxRing = Math.ceil(radiusM / this.cellSizeM) + 1
    for (let ring = 0; ring <= maxRing; ring++) {
      this.forEachRingCell(column, row, ring, (cell) => {
        for (let k = this.cellStart[cell]; k < this.cellStart[cell + 1]; k++) {
          const segment = this.cellSegments[k]
          const { t, planarM } = this.projectOnSegment(px, py, segment)
          const piece = this.coordPiece[segment]
          const known = best.get(piece)
          if (!known || planarM < known.planarM) best.set(piece, { segment, t, planarM })
        }
      })
      const sorted = [...best.values()].sort((a, b) => a.planarM - b.planarM)
      const settledBoundM = ring * this.cellSizeM
      if (sorted.length >= count && sorted[count - 1]!.planarM <= settledBoundM) break
    }
    return [...best.values()]
      .sort((a, b) => a.planarM - b.planarM)
      .slice(0, count)
      .map((hit) => this.toRoadPosition(lat, lon, hit.segment, hit.t))
      .filter((position) => position.distanceM <= radiusM)
  }

  private toRoadPosition(lat: number, lon: number, segment: number, t: number): RoadPosition {
    const { graph } = this
    const pointLon = graph.coordLon[segment] + t * (graph.coordLon[segment + 1] - graph.coordLon[segment])
    const pointLat = graph.coordLat[segment] + t * (graph.coordLat[segment + 1] - graph.coordLat[segment])
    const alongM =
      graph.coordAlongM[segment] + t * (graph.coordAlongM[segment + 1] - graph.coordAlongM[segment])
    return {
      piece: this.coordPiece[segment],
      alongM,
      lon: pointLon,
      lat: pointLat,
      distanceM: haversineM(lat, lon, pointLat, pointLon),
    }
  }

  private projectOnSegment(px: number, py: number, segment: number): { t: number; planarM: number } {
    const ax = this.x[segment]
    const ay = this.y[segment]
    const dx = this.x[segment + 1] - ax
    const dy = this.y[segment + 1] - ay
    const lengthSquared = dx * dx + dy * dy
    const t =
      lengthSquared === 0 ? 0 : Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / lengthSquared))
    return { t, planarM: Math.hypot(px - ax - t * dx, py - ay - t * dy) }
  }

  private forEachRingCell(column: number, row: number, ring: number, visit: (cell: number) => void): void {
    const visitIfInside = (r: number, c: number) => {
      if (r >= 0 && r < this.rows && c >= 0 && c < this.columns) visit(r * this.columns + c)
    }
    for (const r of ring === 0 ? [row] : [row - ring, row + ring]) {
      if (r < 0 || r >= this.rows) continue
      const last = Math.min(this.columns - 1, column + ring)
      for (let c = Math.max(0, column - ring); c <= last; c++) visitIfInside(r, c)
    }
    const lastRow = Math.min(this.rows - 1, row + ring - 1)
    for (let r = Math.max(0, row - ring + 1); r <= lastRow; r++) {
      visitIfInside(r, column - ring)
      if (ring > 0) visitIfInside(r, column + ring)
    }
  }

  private forEachSegmentCell(visit: (cell: number, segment: number) => void): void {
    const { graph, cellSizeM } = this
    for (let p = 0; p < graph.pieceCount; p++) {
      for (let segment = graph.coordStart[p]; segment < graph.coordStart[p + 1] - 1; segment++) {
        const c0 = Math.floor(Math.min(this.x[segment], this.x[segment + 1]) / cellSizeM)
        const c1 = Math.floor(Math.max(this.x[segment], this.x[segment + 1]) / cellSizeM)
        const r0 = Math.floor(Math.min(this.y[segment], this.y[segment + 1]) / cellSizeM)
        const r1 = Math.floor(Math.max(this.y[segment], this.y[segment + 1]) / cellSizeM)
        for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) visit(r * this.columns + c, segment)
      }
    }
  }
}
