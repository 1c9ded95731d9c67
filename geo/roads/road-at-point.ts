import type { RoadGraph } from '../routing/road-graph.js'
import { SegmentGrid } from '../routing/segment-grid.js'
import { GeoError } from '../geo-error.js'
import type { RoadClass } from './road-network.js'

/** The road a GPS fix is on, with what the speed rules read from it. */
export interface RoadAtPoint {
  piece: number
  name?: string
  roadClass: RoadClass
  maxSpeedKmh?: number
  hazard: boolean
  oneway: boolean
  /** From the fix to the road, on the sphere. */
  distanceM: number
  /**
   * Other roads along the heading no more than `alongsideWithinM` farther from the fix: ways a few
   * metres apart (a frontage road beside a trunk, two ways drawn one on the other) that the fix's
   * GPS error cannot tell from this one. Absent when there are none.
   */
  alongside?: Omit<RoadAtPoint, 'alongside'>[]
}

export interface RoadAtPointQuery {
  lat: number
  lon: number
  /** Direction of travel, degrees clockwise from north; null when unknown or the bus stands still. */
  headingDeg?: number | null
}

export interface RoadAtPointIndex {
  findRoadAtPoint(query: RoadAtPointQuery): RoadAtPoint | undefined
  /** The lowest posted limit on any road (Infinity if none has one): slower fixes need no lookup. */
  readonly lowestMaxSpeedKmh: number
}

export interface RoadAtPointOptions {
  /** Farther from every road than this, a fix is on no known road. */
  radiusM: number
  /** A road whose direction is within this of the heading is preferred over a nearer one. */
  maxHeadingDifferenceDeg: number
  /** Pieces compared per fix: at a crossing, the two roads and a parallel carriageway. */
  candidateCount: number
  /** How much farther than the road found another along the heading may be and still be alongside it. */
  alongsideWithinM: number
}

export const defaultRoadAtPointOptions: RoadAtPointOptions = {
  radiusM: 30,
  maxHeadingDifferenceDeg: 45,
  candidateCount: 4,
  alongsideWithinM: 12,
}

const RAD = Math.PI / 180

/**
 * Answers which road a fix is on: the nearest piece within the radius, except that when a heading
 * is given, the nearest piece whose direction matches it wins. A fix at a crossing is as near to
 * both roads; the heading tells them apart, and on a dual carriageway it picks the bus's side.
 */
export function createRoadAtPointIndex(
  graph: RoadGraph,
  options: Partial<RoadAtPointOptions> = {},
): RoadAtPointIndex {
  const settings = { ...defaultRoadAtPointOptions, ...options }
  if (!(settings.radiusM > 0) || !(settings.candidateCount >= 1)) {
    throw new GeoError('invalid_input', 'radiusM and candidateCount must be positive', { field: 'options' })
  }
  // Cells near the lookup radius keep the scanned rings small: 100 m cells cost about a quarter more.
  const grid = new SegmentGrid(graph, 50)
  const lowestMaxSpeedKmh = graph.pieceMaxSpeedKmh.reduce(
    (lowest, kmh) => (kmh > 0 && kmh < lowest ? kmh : lowest),
    Number.POSITIVE_INFINITY,
  )

  const pieceBearingDeg = (piece: number, alongM: number): number => {
    let i = graph.coordStart[piece]
    const last = graph.coordStart[piece + 1] - 2
    while (i < last && graph.coordAlongM[i + 1] < alongM) i++
    const dLat = graph.coordLat[i + 1] - graph.coordLat[i]
    const dLon = (graph.coordLon[i + 1] - graph.coordLon[i]) * Math.cos(graph.coordLat[i] * RAD)
    return Math.atan2(dLon, dLat) / RAD
  }

  const headingDifferenceDeg = (piece: number, alongM: number, headingDeg: number): number => {
    const difference = Math.abs(((((headingDeg - pieceBearingDeg(piece, alongM)) % 360) + 540) % 360) - 180)
    const twoWay = graph.pieceBackward[piece] === 1
    return twoWay ? Math.min(difference, 180 - difference) : difference
  }

  return {
    lowestMaxSpeedKmh,
    findRoadAtPoint({ lat, lon, headingDeg }) {
      const candidates = grid.findNearest(lat, lon, settings.radiusM, settings.candidateCount)
      if (candidates.length === 0) return undefined
      const heads = (c: (typeof candidates)[number]) =>
        headingDeg === null ||
        headingDeg === undefined ||
        headingDifferenceDeg(c.piece, c.alongM, headingDeg) <= settings.maxHeadingDifferenceDeg
      const matched = candidates.find(heads)
      const chosen = (headingDeg === null || headingDeg === undefined ? undefined : matched) ?? candidates[0]!
      const alongside = matched
        ? candidates.filter(
            (c) =>
              c.piece !== chosen.piece &&
              heads(c) &&
              c.distanceM <= chosen.distanceM + settings.alongsideWithinM,
          )
        : []
      const describe = (c: (typeof candidates)[number]): Omit<RoadAtPoint, 'alongside'> => {
        const maxSpeedKmh = graph.pieceMaxSpeedKmh[c.piece]
        const name = graph.pieceName[c.piece]
        return {
          piece: c.piece,
          ...(name === undefined ? {} : { name }),
          roadClass: graph.pieceRoadClass[c.piece]!,
          ...(maxSpeedKmh > 0 ? { maxSpeedKmh } : {}),
          hazard: graph.pieceHazard[c.piece] === 1,
          oneway: graph.pieceBackward[c.piece] === 0,
          distanceM: c.distanceM,
        }
      }
      return { ...describe(chosen), ...(alongside.length > 0 ? { alongside: alongside.map(describe) } : {}) }
    },
  }
}
