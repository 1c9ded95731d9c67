import type { LatLon, LonLatPosition } from '../lat-lon.js'
import type { RoadNetwork } from '../roads/road-network.js'
import type { DurationTable, NearestPoint, Route, RouteLeg, Router, SnappedPoint } from './router.js'
import { GeoError } from '../geo-error.js'
import { buildRoadGraph, type RoadGraph, type RoadGraphStats } from './road-graph.js'
import { buildContractionHierarchy } from './contraction-hierarchy.js'
import { SegmentGrid, type RoadPosition } from './segment-grid.js'
import { FastestPathFinder } from './fastest-path.js'
import { computeManyToMany } from './many-to-many.js'
import { findDirectOnPiece, seedsArriving, seedsLeaving } from './road-position-seeds.js'
import { matchTraceOnGraph } from './graph-map-matcher.js'
import {
  MAX_NEAREST_CANDIDATES,
  checkPointInArea,
  resolveIndexes,
  validateCount,
  validatePoint,
  validatePointList,
  validateRadius,
  validateTrace,
} from './validate-points.js'

export interface GraphRouterOptions {
  /** The most points a table may have; larger requests are refused as too_large. */
  maxTablePoints?: number
  /** Points farther than this from every road are refused when a call gives no radius. */
  defaultRadiusM?: number
}

export interface GraphRouter extends Router {
  readonly engine: 'graph'
  /** The graph it routes on, for other questions about the same roads (the road at a point). */
  readonly graph: RoadGraph
  readonly stats: RoadGraphStats & { nodeCount: number; pieceCount: number; shortcutCount: number }
}

/**
 * The embedded routing engine: the road network as a graph in typed arrays, preprocessed into a
 * contraction hierarchy (see contraction-hierarchy.ts for why) and a grid of road segments for
 * snapping. Building takes a fraction of a second on a city; the answers are synchronous work
 * behind the async Router interface, so a 1,000 × 1,000 table holds the event loop for about as
 * long as it takes (a few hundred milliseconds on a city network).
 */
export function createGraphRouter(network: RoadNetwork, options: GraphRouterOptions = {}): GraphRouter {
  const maxTablePoints = options.maxTablePoints ?? 1000
  const defaultRadiusM = options.defaultRadiusM ?? 1000
  validateRadius(defaultRadiusM, 'defaultRadiusM')
  validateCount(maxTablePoints, 'maxTablePoints', Number.MAX_SAFE_INTEGER)
  const graph = buildRoadGraph(network)
  const ch = buildContractionHierarchy(graph)
  const grid = new SegmentGrid(graph)
  const finder = new FastestPathFinder(graph, ch)

  const findPositions = (point: LatLon, field: string, radiusM: number, count: number): RoadPosition[] => {
    checkPointInArea(point, field, graph.bounds, radiusM)
    const positions = grid.findNearest(point.lat, point.lon, radiusM, count)
    if (positions.length === 0) {
      throw new GeoError('outside_network', `${field}: no road within ${radiusM} m`, { field })
    }
    return positions
  }
  const snap = (point: LatLon, field: string, radiusM: number) => findPositions(point, field, radiusM, 1)[0]!
  const describe = (position: RoadPosition): SnappedPoint => {
    const name = graph.pieceName[position.piece]
    return {
      location: { lat: position.lat, lon: position.lon },
      distanceM: position.distanceM,
      ...(name === undefined ? {} : { name }),
    }
  }
  const radiusOf = (radiusM: number | undefined) => {
    validateRadius(radiusM)
    return radiusM ?? defaultRadiusM
  }

  return {
    engine: 'graph',
    graph,
    stats: {
      ...graph.stats,
      nodeCount: graph.nodeCount,
      pieceCount: graph.pieceCount,
      shortcutCount: ch.edgeArc.filter((arc) => arc < 0).length,
    },

    async nearest(point, nearestOptions = {}): Promise<NearestPoint> {
      validatePoint(point, 'point')
      validateCount(nearestOptions.number, 'number', MAX_NEAREST_CANDIDATES)
      const radiusM = radiusOf(nearestOptions.radiusM)
      const [first, ...others] = findPositions(point, 'point', radiusM, nearestOptions.number ?? 1).map(
        describe,
      )
      return { ...first!, alternatives: others }
    },

    async route(points, routeOptions = {}): Promise<Route> {
      validatePointList(points, { field: 'points', minCount: 2, refuseRepeats: true })
      const radiusM = radiusOf(routeOptions.radiusM)
      const positions = points.map((point, i) => snap(point, `points[${i}]`, radiusM))
      const legs: RouteLeg[] = []
      const coordinates: LonLatPosition[] = []
      for (let i = 1; i < positions.length; i++) {
        const path = finder.find(positions[i - 1]!, positions[i]!)
        if (!path) {
          throw new GeoError('no_route', `points[${i}]: no path from points[${i - 1}]`, {
            field: `points[${i}]`,
          })
        }
        legs.push({ distanceM: path.distanceM, durationS: path.durationS })
        coordinates.push(...(coordinates.length > 0 ? path.coordinates.slice(1) : path.coordinates))
      }
      return {
        distanceM: legs.reduce((sum, leg) => sum + leg.distanceM, 0),
        durationS: legs.reduce((sum, leg) => sum + leg.durationS, 0),
        geometry: { type: 'LineString', coordinates },
        legs,
        waypoints: positions.map(describe),
      }
    },

    async table(points, tableOptions = {}): Promise<DurationTable> {
      validatePointList(points, { field: 'points', minCount: 2, refuseRepeats: false })
      if (points.length > maxTablePoints) {
        throw new GeoError(
          'too_large',
          `points: ${points.length} points, at most ${maxTablePoints} per table`,
          { field: 'points' },
        )
      }
      const sources = resolveIndexes(tableOptions.sources, points.length, 'sources')
      const destinations = resolveIndexes(tableOptions.destinations, points.length, 'destinations')
      const radiusM = radiusOf(tableOptions.radiusM)
      const positions = points.map((point, i) => snap(point, `points[${i}]`, radiusM))
      const from = sources.map((i) => positions[i]!)
      const to = destinations.map((i) => positions[i]!)
      const result = computeManyToMany(
        ch,
        from.map((position) => seedsLeaving(graph, position)),
        to.map((position) => seedsArriving(graph, position)),
      )
      applyDirectPaths(from, to, (i, j) => {
        const direct = findDirectOnPiece(graph, from[i]!, to[j]!)
        const cell = i * to.length + j
        if (direct && direct.durationS <= result.durationS[cell]) {
          result.durationS[cell] = direct.durationS
          result.distanceM[cell] = direct.distanceM
        }
      })
      return {
        durationsS: toRows(result.durationS, from.length, to.length),
        distancesM: toRows(result.distanceM, from.length, to.length),
        sources: from.map(describe),
        destinations: to.map(describe),
      }
    },

    async match(trace, matchOptions = {}) {
      validateTrace(trace)
      validateRadius(matchOptions.radiusM)
      return matchTraceOnGraph(graph, grid, finder, trace, { defaultAccuracyM: matchOptions.radiusM })
    },
  }
}

/** Visits the (source, destination) pairs on the same piece, where a path may not leave it. */
function applyDirectPaths(
  from: RoadPosition[],
  to: RoadPosition[],
  visit: (i: number, j: number) => void,
): void {
  const destinationsByPiece = new Map<number, number[]>()
  to.forEach((position, j) => {
    const list = destinationsByPiece.get(position.piece)
    if (list) list.push(j)
    else destinationsByPiece.set(position.piece, [j])
  })
  from.forEach((position, i) => {
    for (const j of destinationsByPiece.get(position.piece) ?? []) visit(i, j)
  })
}

function toRows(values: Float64Array, rows: number, columns: number): (number | null)[][] {
  return Array.from({ length: rows }, (_, i) =>
    Array.from(values.subarray(i * columns, (i + 1) * columns), (value) =>
      value === Infinity ? null : value,
    ),
  )
}
