import type { LonLatPosition } from '../lat-lon.js'
import type { RoadNetwork, RoadWay } from './road-network.js'
import type { OsmElementSink, OsmTags } from './osm-elements.js'
import { readRoadTags, type RoadTags } from './osm-road-tags.js'
import { decodeOsmPbf } from './osm-pbf-decoder.js'
import { decodeOsmXml } from './osm-xml-decoder.js'

export type OsmFormat = 'pbf' | 'xml'

export interface OsmImportStats {
  nodesRead: number
  waysRead: number
  /** Ways a bus may use, before splitting at nodes missing from the extract. */
  roadWaysKept: number
  /** RoadWays written: kept ways, split where the extract lacks their nodes. */
  roadWaysWritten: number
  onewayRoadWays: number
  missingNodeRefs: number
}

export interface OsmImport {
  network: RoadNetwork
  stats: OsmImportStats
}

interface PendingWay {
  id: number
  refs: number[]
  road: RoadTags
}

/** Reads an OSM extract and keeps the roads a bus may use, as a RoadNetwork. */
export function importOsmRoads(bytes: Uint8Array, options: { format: OsmFormat; source: string }): OsmImport {
  const nodeIndex = new Map<number, number>()
  const lons: number[] = []
  const lats: number[] = []
  const pending: PendingWay[] = []
  let waysRead = 0
  const sink: OsmElementSink = {
    node(id, lon, lat) {
      nodeIndex.set(id, lons.length)
      lons.push(lon)
      lats.push(lat)
    },
    way(id: number, refs: number[], tags: OsmTags) {
      waysRead++
      const road = readRoadTags(tags)
      if (road) pending.push({ id, refs, road })
    },
  }
  if (options.format === 'pbf') decodeOsmPbf(bytes, sink)
  else decodeOsmXml(new TextDecoder().decode(bytes), sink)

  let missingNodeRefs = 0
  const ways: RoadWay[] = []
  for (const way of pending) {
    const runs: LonLatPosition[][] = [[]]
    for (const ref of way.refs) {
      const index = nodeIndex.get(ref)
      if (index === undefined) {
        missingNodeRefs++
        runs.push([])
        continue
      }
      const run = runs[runs.length - 1]
      const last = run[run.length - 1]
      if (!last || last[0] !== lons[index] || last[1] !== lats[index]) run.push([lons[index], lats[index]])
    }
    const drivable = runs.filter((run) => run.length >= 2)
    drivable.forEach((coords, part) => {
      const id = drivable.length === 1 ? `way/${way.id}` : `way/${way.id}#${part + 1}`
      ways.push(toRoadWay(id, coords, way.road))
    })
  }
  return {
    network: { source: options.source, ways },
    stats: {
      nodesRead: lons.length,
      waysRead,
      roadWaysKept: pending.length,
      roadWaysWritten: ways.length,
      onewayRoadWays: ways.filter((way) => way.oneway).length,
      missingNodeRefs,
    },
  }
}

function toRoadWay(id: string, coords: LonLatPosition[], road: RoadTags): RoadWay {
  return {
    id,
    ...(road.name === undefined ? {} : { name: road.name }),
    roadClass: road.roadClass,
    coords: road.direction === 'backward' ? coords.reverse() : coords,
    speedKmh: road.speedKmh,
    ...(road.maxSpeedKmh === undefined ? {} : { maxSpeedKmh: road.maxSpeedKmh }),
    oneway: road.direction !== 'both',
    ...(road.hazard ? { hazard: true } : {}),
  }
}
