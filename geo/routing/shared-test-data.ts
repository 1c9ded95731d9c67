import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { RoadNetwork } from '../roads/road-network.js'
import { importOsmRoads } from '../roads/osm-road-import.js'

/**
 * Test support: the project's shared, read-only test data (`shared/data/` beside the repository)
 * and the Monaco road network read from its OpenStreetMap extract.
 */
export const SHARED_DATA_DIR = fileURLToPath(new URL('../../../shared/data/', import.meta.url))
export const MONACO_PBF = `${SHARED_DATA_DIR}monaco.osm.pbf`
export const OSRM_RECORDINGS_DIR = `${SHARED_DATA_DIR}osrm/`

let monaco: RoadNetwork | undefined

export function loadMonacoNetwork(): RoadNetwork {
  monaco ??= importOsmRoads(readFileSync(MONACO_PBF), {
    format: 'pbf',
    source: 'OpenStreetMap: Monaco',
  }).network
  return monaco
}
