import type { LonLatPosition } from '../lat-lon.js'
import type { RoadGraph } from './road-graph.js'
import type { RoadPosition } from './segment-grid.js'

/**
 * Collects the shape of a path: from a snapped position along its piece to a node, whole pieces
 * between nodes, and from the last node along a piece to the snapped end. Repeated positions where
 * parts meet are written once.
 */
export class PathShape {
  readonly coordinates: LonLatPosition[] = []

  constructor(private readonly graph: RoadGraph) {}

  addPosition(position: RoadPosition): void {
    this.push(position.lon, position.lat)
  }

  /** The piece's coordinates strictly between two distances along it, in travel order. */
  addBetween(piece: number, fromAlongM: number, toAlongM: number): void {
    const { graph } = this
    const first = graph.coordStart[piece]
    const last = graph.coordStart[piece + 1] - 1
    if (fromAlongM <= toAlongM) {
      for (let i = first; i <= last; i++) {
        if (graph.coordAlongM[i] > fromAlongM && graph.coordAlongM[i] < toAlongM)
          this.push(graph.coordLon[i], graph.coordLat[i])
      }
    } else {
      for (let i = last; i >= first; i--) {
        if (graph.coordAlongM[i] < fromAlongM && graph.coordAlongM[i] > toAlongM)
          this.push(graph.coordLon[i], graph.coordLat[i])
      }
    }
  }

  /** A whole piece driven along (arc 2p) or against (arc 2p + 1) its direction. */
  addArc(arc: number): void {
    const { graph } = this
    const piece = arc >> 1
    const first = graph.coordStart[piece]
    const last = graph.coordStart[piece + 1] - 1
    if ((arc & 1) === 0) for (let i = first; i <= last; i++) this.push(graph.coordLon[i], graph.coordLat[i])
    else for (let i = last; i >= first; i--) this.push(graph.coordLon[i], graph.coordLat[i])
  }

  /** From a position to the end of its piece it leaves by (the piece's end when along it). */
  addLeaving(position: RoadPosition, alongPiece: boolean): void {
    this.addPosition(position)
    this.addBetween(position.piece, position.alongM, alongPiece ? Infinity : -Infinity)
  }

  /** From the end of the piece a path arrives by to the position on it. */
  addArriving(position: RoadPosition, alongPiece: boolean): void {
    this.addBetween(position.piece, alongPiece ? -Infinity : Infinity, position.alongM)
    this.addPosition(position)
  }

  private push(lon: number, lat: number): void {
    const previous = this.coordinates[this.coordinates.length - 1]
    if (previous && previous[0] === lon && previous[1] === lat) return
    this.coordinates.push([lon, lat])
  }
}
