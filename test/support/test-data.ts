import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { RoadNetwork } from '../../geo/roads/road-network.js'
import { importOsmRoads } from '../../geo/roads/osm-road-import.js'

/**
 * The real data the tests read, kept in the repository (`test/data/`, sources and licences in its
 * README), and the Monaco road network read from its OpenStreetMap extract.
 */
export const TEST_DATA_DIR = fileURLToPath(new URL('../data/', import.meta.url))
export const MONACO_PBF = `${TEST_DATA_DIR}monaco.osm.pbf`
export const OSRM_RECORDINGS_DIR = `${TEST_DATA_DIR}osrm/`
export const POLAND_GPS_TRACES = `${TEST_DATA_DIR}poland_gps_traces.csv.gz`

let monaco: RoadNetwork | undefined

export function loadMonacoNetwork(): RoadNetwork {
  monaco ??= importOsmRoads(readFileSync(MONACO_PBF), {
    format: 'pbf',
    source: 'OpenStreetMap: Monaco',
  }).network
  return monaco
}
