import type { LonLatPosition } from '../lat-lon.js'
import type { RoadClass, RoadNetwork, RoadWay } from '../roads/road-network.js'
import { haversineM } from './earth-distance.js'
import { findLargestComponent, labelStronglyConnectedComponents } from './strongly-connected.js'
import { GeoError } from '../geo-error.js'

/**
 * The road network as a compact graph. Nodes are the positions where ways meet or end; a piece is
 * the stretch of one way between two nodes, with its shape. Only the largest strongly connected
 * component is kept, so that every kept node reaches every other one.
 */
export interface RoadGraph {
  nodeCount: number
  nodeLon: Float64Array
  nodeLat: Float64Array
  pieceCount: number
  pieceFrom: Int32Array
  pieceTo: Int32Array
  /** Shape of piece p: coordinates coordStart[p]..coordStart[p+1]) in the way's direction. */
  coordStart: Int32Array
  coordLon: Float64Array
  coordLat: Float64Array
  /** Distance along its piece from the piece's first coordinate to each coordinate. */
  coordAlongM: Float64Array
  pieceLengthM: Float64Array
  pieceDurationS: Float64Array
  /** 1 where traffic may drive from pieceFrom to pieceTo, and from pieceTo to pieceFrom. */
  pieceForward: Uint8Array
  pieceBackward: Uint8Array
  pieceName: (string | undefined)[]
  /** The attributes the school-bus speed rule reads, from the piece's way. */
  pieceRoadClass: RoadClass[]
  /** The posted limit; 0 where the way has none. */
  pieceMaxSpeedKmh: Float64Array
  /** 1 on a sharp bend, steep slope, narrow road or bridge. */
  pieceHazard: Uint8Array
  bounds: { minLat: number; maxLat: number; minLon: number; maxLon: number }
  stats: RoadGraphStats
}

export interface RoadGraphStats {
  waysRead: number
  nodesBeforePruning: number
  /** Nodes outside the largest strongly connected component, left out of the graph. */
  droppedNodeCount: number
  droppedPieceCount: number
}

interface Piece {
  from: number
  to: number
  way: RoadWay
  lons: number[]
  lats: number[]
}

/** Builds the routing graph of a road network; throws GeoError when nothing drivable is left. */
export function buildRoadGraph(network: RoadNetwork): RoadGraph {
  const pieces = splitWaysAtNodes(network.ways)
  const nodesBeforePruning = pieces.nodeLons.length
  const keepNode = findNodesOfLargestComponent(nodesBeforePruning, pieces.list)
  const newIndex = new Int32Array(nodesBeforePruning).fill(-1)
  let nodeCount = 0
  for (let v = 0; v < nodesBeforePruning; v++) if (keepNode[v]) newIndex[v] = nodeCount++
  const kept = pieces.list.filter((piece) => keepNode[piece.from] && keepNode[piece.to])
  if (kept.length === 0)
    throw new GeoError('invalid_input', `road network ${network.source} has no drivable road`)

  const graph = allocateGraph(nodeCount, kept)
  for (let v = 0; v < nodesBeforePruning; v++) {
    if (newIndex[v] === -1) continue
    graph.nodeLon[newIndex[v]] = pieces.nodeLons[v]
    graph.nodeLat[newIndex[v]] = pieces.nodeLats[v]
  }
  let coord = 0
  kept.forEach((piece, p) => {
    graph.pieceFrom[p] = newIndex[piece.from]
    graph.pieceTo[p] = newIndex[piece.to]
    graph.coordStart[p] = coord
    let alongM = 0
    for (let i = 0; i < piece.lons.length; i++) {
      if (i > 0) alongM += haversineM(piece.lats[i - 1], piece.lons[i - 1], piece.lats[i], piece.lons[i])
      graph.coordLon[coord] = piece.lons[i]
      graph.coordLat[coord] = piece.lats[i]
      graph.coordAlongM[coord++] = alongM
      extendBounds(graph.bounds, piece.lats[i], piece.lons[i])
    }
    graph.pieceLengthM[p] = alongM
    graph.pieceDurationS[p] = alongM / (piece.way.speedKmh / 3.6)
    graph.pieceForward[p] = 1
    graph.pieceBackward[p] = piece.way.oneway ? 0 : 1
    graph.pieceName[p] = piece.way.name
    graph.pieceRoadClass[p] = piece.way.roadClass
    graph.pieceMaxSpeedKmh[p] = piece.way.maxSpeedKmh ?? 0
    graph.pieceHazard[p] = piece.way.hazard ? 1 : 0
  })
  graph.coordStart[kept.length] = coord
  graph.stats = {
    waysRead: network.ways.length,
    nodesBeforePruning,
    droppedNodeCount: nodesBeforePruning - nodeCount,
    droppedPieceCount: pieces.list.length - kept.length,
  }
  return graph
}

function allocateGraph(nodeCount: number, pieces: Piece[]): RoadGraph {
  const coordCount = pieces.reduce((sum, piece) => sum + piece.lons.length, 0)
  return {
    nodeCount,
    nodeLon: new Float64Array(nodeCount),
    nodeLat: new Float64Array(nodeCount),
    pieceCount: pieces.length,
    pieceFrom: new Int32Array(pieces.length),
    pieceTo: new Int32Array(pieces.length),
    coordStart: new Int32Array(pieces.length + 1),
    coordLon: new Float64Array(coordCount),
    coordLat: new Float64Array(coordCount),
    coordAlongM: new Float64Array(coordCount),
    pieceLengthM: new Float64Array(pieces.length),
    pieceDurationS: new Float64Array(pieces.length),
    pieceForward: new Uint8Array(pieces.length),
    pieceBackward: new Uint8Array(pieces.length),
    pieceName: new Array<string | undefined>(pieces.length),
    pieceRoadClass: new Array<RoadClass>(pieces.length),
    pieceMaxSpeedKmh: new Float64Array(pieces.length),
    pieceHazard: new Uint8Array(pieces.length),
    bounds: { minLat: Infinity, maxLat: -Infinity, minLon: Infinity, maxLon: -Infinity },
    stats: { waysRead: 0, nodesBeforePruning: 0, droppedNodeCount: 0, droppedPieceCount: 0 },
  }
}

function extendBounds(bounds: RoadGraph['bounds'], lat: number, lon: number): void {
  if (lat < bounds.minLat) bounds.minLat = lat
  if (lat > bounds.maxLat) bounds.maxLat = lat
  if (lon < bounds.minLon) bounds.minLon = lon
  if (lon > bounds.maxLon) bounds.maxLon = lon
}

/** Positions are compared at 1e-7 degree (about 1 cm), the precision OpenStreetMap stores. */
function positionKey(lon: number, lat: number): string {
  return `${Math.round(lon * 1e7)},${Math.round(lat * 1e7)}`
}

/**
 * A position becomes a node where a way ends or where it is used more than once (a crossing, or
 * a way passing the same point twice). Each way is cut at its nodes into pieces; a piece that
 * would start and end at the same node (a closed way with one exit) is cut once more halfway.
 */
function splitWaysAtNodes(ways: RoadWay[]): { list: Piece[]; nodeLons: number[]; nodeLats: number[] } {
  const cleaned = ways.map((way) => {
    const coords: LonLatPosition[] = []
    const keys: string[] = []
    for (const position of way.coords) {
      const key = positionKey(position[0], position[1])
      if (key === keys[keys.length - 1]) continue
      coords.push(position)
      keys.push(key)
    }
    return { coords, keys }
  })
  const uses = new Map<string, number>()
  for (const { keys } of cleaned) {
    keys.forEach((key, i) => {
      const isEnd = i === 0 || i === keys.length - 1
      uses.set(key, (uses.get(key) ?? 0) + (isEnd ? 2 : 1))
    })
  }
  const nodeOfKey = new Map<string, number>()
  const nodeLons: number[] = []
  const nodeLats: number[] = []
  const nodeAt = (key: string, lon: number, lat: number): number => {
    let node = nodeOfKey.get(key)
    if (node === undefined) {
      node = nodeLons.length
      nodeOfKey.set(key, node)
      nodeLons.push(lon)
      nodeLats.push(lat)
    }
    return node
  }
  const list: Piece[] = []
  ways.forEach((way, w) => {
    const { coords: wayCoords, keys } = cleaned[w]!
    let startIndex = 0
    for (let i = 1; i < keys.length; i++) {
      if (i < keys.length - 1 && (uses.get(keys[i]) ?? 0) < 2) continue
      const coords = wayCoords.slice(startIndex, i + 1)
      const cut = coords.length >= 3 && keys[startIndex] === keys[i] ? Math.floor(coords.length / 2) : -1
      const parts = cut === -1 ? [coords] : [coords.slice(0, cut + 1), coords.slice(cut)]
      for (const part of parts) {
        if (part.length < 2) continue
        const [firstLon, firstLat] = part[0]
        const [lastLon, lastLat] = part[part.length - 1]
        const from = nodeAt(positionKey(firstLon, firstLat), firstLon, firstLat)
        const to = nodeAt(positionKey(lastLon, lastLat), lastLon, lastLat)
        if (from === to) continue
        list.push({ from, to, way, lons: part.map((c) => c[0]), lats: part.map((c) => c[1]) })
      }
      startIndex = i
    }
  })
  return { list, nodeLons, nodeLats }
}

function findNodesOfLargestComponent(nodeCount: number, pieces: Piece[]): Uint8Array {
  const start = new Int32Array(nodeCount + 1)
  const addArc = (visit: (from: number, to: number) => void) => {
    for (const piece of pieces) {
      visit(piece.from, piece.to)
      if (!piece.way.oneway) visit(piece.to, piece.from)
    }
  }
  addArc((from) => start[from + 1]++)
  for (let v = 0; v < nodeCount; v++) start[v + 1] += start[v]
  const fill = start.slice(0, nodeCount)
  const targets = new Int32Array(start[nodeCount])
  addArc((from, to) => (targets[fill[from]++] = to))
  const { component, componentCount } = labelStronglyConnectedComponents(nodeCount, { start, targets })
  const largest = findLargestComponent(component, componentCount)
  return Uint8Array.from(component, (label) => (label === largest ? 1 : 0))
}
