import { readFile, writeFile, mkdir } from 'node:fs/promises'
import { basename, dirname } from 'node:path'
import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import { importOsmRoads, type OsmFormat } from './osm-road-import.js'
import { buildRoadGraph } from '../routing/road-graph.js'

const USAGE = 'usage: npm run import:osm -- FILE.osm.pbf|FILE.osm --out data/roads.json'

/**
 * Reads an OpenStreetMap extract and writes the roads a bus may use as RoadNetwork JSON. The file
 * keeps every road way; the routing graph later keeps only the largest strongly connected part,
 * and the summary says how much of the network that drops.
 */
export async function runImportOsm(args: string[], log: (line: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { out: { type: 'string' } },
    allowPositionals: true,
  })
  const [input] = positionals
  if (!input || !values.out || positionals.length > 1) throw new Error(USAGE)
  const format = detectFormat(input)
  const { network, stats } = importOsmRoads(await readFile(input), {
    format,
    source: `OpenStreetMap extract ${basename(input)} (© OpenStreetMap contributors, ODbL 1.0)`,
  })
  const graph = buildRoadGraph(network)
  await mkdir(dirname(values.out), { recursive: true })
  await writeFile(values.out, JSON.stringify(network))
  log(`read ${stats.nodesRead} nodes and ${stats.waysRead} ways from ${input}`)
  log(
    `kept ${stats.roadWaysKept} road ways a bus may use (${stats.onewayRoadWays} one-way), wrote ${stats.roadWaysWritten}`,
  )
  if (stats.missingNodeRefs > 0)
    log(`${stats.missingNodeRefs} node references missing from the extract: ways split there`)
  log(
    `routing graph: ${graph.nodeCount} nodes, ${graph.pieceCount} road pieces; dropped ${graph.stats.droppedNodeCount} ` +
      `of ${graph.stats.nodesBeforePruning} nodes outside the largest strongly connected component`,
  )
  log(`wrote ${values.out}`)
}

function detectFormat(path: string): OsmFormat {
  if (path.endsWith('.pbf')) return 'pbf'
  if (path.endsWith('.osm') || path.endsWith('.xml')) return 'xml'
  throw new Error(`cannot tell the format of ${path}: expected .osm.pbf or .osm\n${USAGE}`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runImportOsm(process.argv.slice(2), (line) => console.log(line)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exitCode = 1
  })
}
