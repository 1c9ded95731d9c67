import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { LatLon } from '../geo/lat-lon.js'
import type { RoadNetwork } from '../geo/roads/road-network.js'
import { importOsmRoads } from '../geo/roads/osm-road-import.js'
import { parseRoadNetwork } from '../geo/roads/road-network-schema.js'
import { createGraphRouter, type GraphRouter } from '../geo/routing/graph-router.js'
import { readCommandLine } from '../server/core/cli/command-line.js'

/**
 * The embedded router on Monaco (real OpenStreetMap data) and on the synthetic Cixi network when
 * it has been generated: build time from the file to a ready router, a 1,000 × 1,000 table of
 * random snapped points, and point-to-point routes with geometry per second. Random points are
 * seeded, so runs compare.
 */
readCommandLine({
  usage: `usage: npm run bench:router

Takes no options: times the embedded router on Monaco (../shared/data/monaco.osm.pbf) and on the
Cixi roads (fixtures/cixi/roads.json): build, a 1000 × 1000 table and routes a second.`,
  options: {},
})
const MONACO_PBF = fileURLToPath(new URL('../../shared/data/monaco.osm.pbf', import.meta.url))
const CIXI_ROADS = fileURLToPath(new URL('../fixtures/cixi/roads.json', import.meta.url))
const TABLE_SIZE = 1000
const ROUTE_COUNT = 2000

interface NetworkFigures {
  buildMs: number
  table1000Ms: number
  routesPerSec: number
}

function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

async function pickSnappedPoints(
  router: GraphRouter,
  network: RoadNetwork,
  count: number,
  random: () => number,
) {
  let [minLon, maxLon, minLat, maxLat] = [Infinity, -Infinity, Infinity, -Infinity]
  for (const way of network.ways) {
    for (const [lon, lat] of way.coords) {
      minLon = Math.min(minLon, lon)
      maxLon = Math.max(maxLon, lon)
      minLat = Math.min(minLat, lat)
      maxLat = Math.max(maxLat, lat)
    }
  }
  const points: LatLon[] = []
  while (points.length < count) {
    const asked = { lat: minLat + random() * (maxLat - minLat), lon: minLon + random() * (maxLon - minLon) }
    const snapped = await router.nearest(asked, { radiusM: 300 }).catch(() => undefined)
    if (snapped) points.push(snapped.location)
  }
  return points
}

async function measureNetwork(name: string, load: () => RoadNetwork): Promise<NetworkFigures> {
  const buildStart = performance.now()
  const network = load()
  const router = createGraphRouter(network, { maxTablePoints: TABLE_SIZE })
  const buildMs = performance.now() - buildStart
  console.error(`${name}: ${JSON.stringify(router.stats)}, built in ${buildMs.toFixed(0)} ms`)

  const random = createSeededRandom(20260302)
  const points = await pickSnappedPoints(router, network, TABLE_SIZE, random)
  const tableStart = performance.now()
  const table = await router.table(points)
  const table1000Ms = performance.now() - tableStart
  const unreachable = table.durationsS.flat().filter((cell) => cell === null).length
  console.error(
    `${name}: ${TABLE_SIZE} x ${TABLE_SIZE} table in ${table1000Ms.toFixed(0)} ms, ${unreachable} cells unreachable`,
  )

  const routeStart = performance.now()
  for (let k = 0; k < ROUTE_COUNT; k++) {
    const from = points[Math.floor(random() * points.length)]!
    const to = points[Math.floor(random() * points.length)]!
    if (from.lat !== to.lat || from.lon !== to.lon) await router.route([from, to])
  }
  const routesPerSec = ROUTE_COUNT / ((performance.now() - routeStart) / 1000)
  console.error(`${name}: ${routesPerSec.toFixed(0)} routes per second`)
  return { buildMs, table1000Ms, routesPerSec }
}

const round = (value: number | undefined) => (value === undefined ? null : Math.round(value))

const monaco = await measureNetwork(
  'monaco',
  () => importOsmRoads(readFileSync(MONACO_PBF), { format: 'pbf', source: 'OpenStreetMap: Monaco' }).network,
)
let cixi: NetworkFigures | undefined
if (existsSync(CIXI_ROADS)) {
  cixi = await measureNetwork('cixi', () => parseRoadNetwork(JSON.parse(readFileSync(CIXI_ROADS, 'utf8'))))
} else {
  console.error(
    `cixi: ${CIXI_ROADS} does not exist (generate the Cixi fixtures first); cixi figures are null`,
  )
}
console.log(
  JSON.stringify({
    monacoBuildMs: round(monaco.buildMs),
    cixiBuildMs: round(cixi?.buildMs),
    monacoTable1000Ms: round(monaco.table1000Ms),
    cixiTable1000Ms: round(cixi?.table1000Ms),
    routesPerSec: round(monaco.routesPerSec),
    cixiRoutesPerSec: round(cixi?.routesPerSec),
  }),
)
