import type { Feature, FeatureCollection, LineString } from 'geojson'
import { roadClasses, type RoadClass, type RoadNetwork, type RoadWay } from '../../geo/roads/road-network.js'

/**
 * The map's base layer drawn from the platform's own road network, so that the pages show streets
 * without any tile service: the roads inside a box, thinned by zoom.
 */

/**
 * The least zoom at which each class is drawn. A county (zoom 10–11) shows its arterials only, a
 * town (13–14) its streets, so that an answer stays small at every scale.
 */
export const roadMinZoom: Record<RoadClass, number> = {
  motorway: 0,
  trunk: 0,
  primary: 9,
  secondary: 10,
  tertiary: 12,
  unclassified: 13,
  residential: 14,
  service: 15,
}

/**
 * The widest box answered, in screen pixels at the zoom asked for: a 4K screen's view with a
 * margin. A wider box is refused rather than cut, so that a page never draws half a view; the
 * pages ask for their view (web/shared/map/road-request.ts keeps within this).
 */
export const maxRoadBoxPx = 8192

const tilePx = 256

export interface RoadBox {
  west: number
  south: number
  east: number
  north: number
}

export interface RoadProperties {
  roadClass: RoadClass
  name?: string
}

export type RoadFeatures = FeatureCollection<LineString, RoadProperties>

export function roadClassesAtZoom(zoom: number): RoadClass[] {
  return roadClasses.filter((roadClass) => roadMinZoom[roadClass] <= zoom)
}

/** Degrees of longitude `maxRoadBoxPx` spans at `zoom` (a degree of latitude spans as many or more). */
export function maxRoadBoxSpanDeg(zoom: number): number {
  return (360 * maxRoadBoxPx) / (tilePx * 2 ** zoom)
}

/** Why the box is refused at this zoom, or null when it is answered. */
export function roadBoxProblem(box: RoadBox, zoom: number): string | null {
  if (box.west >= box.east || box.south >= box.north) return 'expected west < east and south < north'
  const spanDeg = maxRoadBoxSpanDeg(zoom)
  if (box.east - box.west > spanDeg || box.north - box.south > spanDeg)
    return `too large for zoom ${zoom}: at most ${Number(spanDeg.toPrecision(3))}° each way`
  return null
}

interface IndexedWay extends RoadBox {
  way: RoadWay
}

/** One class's ways, and which of them touch each grid cell. */
interface ClassIndex {
  ways: IndexedWay[]
  cells: Map<string, number[]>
}

export interface RoadIndex {
  byClass: ReadonlyMap<RoadClass, ClassIndex>
}

/** About 2 km: a town's view covers a few dozen cells. */
const cellDeg = 0.02
const cellOf = (deg: number) => Math.floor(deg / cellDeg)

function boxOf(way: RoadWay): RoadBox {
  const lons = way.coords.map(([lon]) => lon)
  const lats = way.coords.map(([, lat]) => lat)
  return {
    west: Math.min(...lons),
    south: Math.min(...lats),
    east: Math.max(...lons),
    north: Math.max(...lats),
  }
}

/** Built once per network: a grid per road class, so that a small box reads only its cells. */
export function indexRoads(network: RoadNetwork): RoadIndex {
  const byClass = new Map<RoadClass, ClassIndex>()
  for (const way of network.ways) {
    let index = byClass.get(way.roadClass)
    if (!index) byClass.set(way.roadClass, (index = { ways: [], cells: new Map() }))
    const indexed = { way, ...boxOf(way) }
    const position = index.ways.push(indexed) - 1
    for (let x = cellOf(indexed.west); x <= cellOf(indexed.east); x++) {
      for (let y = cellOf(indexed.south); y <= cellOf(indexed.north); y++) {
        const key = `${x}:${y}`
        const cell = index.cells.get(key)
        if (cell) cell.push(position)
        else index.cells.set(key, [position])
      }
    }
  }
  return { byClass }
}

const overlaps = (a: RoadBox, b: RoadBox) =>
  a.west <= b.east && a.east >= b.west && a.south <= b.north && a.north >= b.south

function waysInBox(index: ClassIndex, box: RoadBox): IndexedWay[] {
  const columns = cellOf(box.east) - cellOf(box.west) + 1
  const rows = cellOf(box.north) - cellOf(box.south) + 1
  // A box of more cells than the class has ways (a county view of its few arterials) reads them all.
  if (columns * rows > index.ways.length) return index.ways.filter((way) => overlaps(way, box))
  const found = new Set<number>()
  for (let x = cellOf(box.west); x <= cellOf(box.east); x++) {
    for (let y = cellOf(box.south); y <= cellOf(box.north); y++) {
      for (const position of index.cells.get(`${x}:${y}`) ?? []) found.add(position)
    }
  }
  return [...found]
    .sort((a, b) => a - b)
    .map((position) => index.ways[position]!)
    .filter((way) => overlaps(way, box))
}

/**
 * The roads of the classes drawn at `zoom` that reach into the box, minor classes first, so that
 * a map drawing them in order puts the arterials on top.
 */
export function selectRoads(index: RoadIndex, query: { box: RoadBox; zoom: number }): RoadFeatures {
  const features: Feature<LineString, RoadProperties>[] = []
  for (const roadClass of roadClassesAtZoom(query.zoom).reverse()) {
    const classIndex = index.byClass.get(roadClass)
    if (!classIndex) continue
    for (const { way } of waysInBox(classIndex, query.box)) {
      features.push({
        type: 'Feature',
        geometry: { type: 'LineString', coordinates: way.coords.map(([lon, lat]) => [lon, lat]) },
        properties: way.name ? { roadClass, name: way.name } : { roadClass },
      })
    }
  }
  return { type: 'FeatureCollection', features }
}
