import { readFile, writeFile, mkdir } from 'node:fs/promises'
import { basename, dirname } from 'node:path'
import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import { importOsmRoads, type OsmFormat } from './osm-road-import.js'
import { buildRoadGraph } from '../routing/road-graph.js'

export const importOsmUsage = `usage: npm run import:osm -- FILE.osm.pbf|FILE.osm --out data/roads.json

  FILE         an OpenStreetMap extract, as .osm.pbf or .osm (XML)
  --out FILE   the RoadNetwork JSON to write; ROADS_FILE names it for the platform`

/** A command line the import cannot run: told with the usage, exit status 2. */
export class ImportOsmUsageError extends Error {
  constructor(problem: string) {
    super(`${problem}\n\n${importOsmUsage}`)
  }
}

/**
 * Reads an OpenStreetMap extract and writes the roads a bus may use as RoadNetwork JSON. The file
 * keeps every road way; the routing graph later keeps only the largest strongly connected part,
 * and the summary says how much of the network that drops.
 */
export async function runImportOsm(args: string[], log: (line: string) => void): Promise<void> {
  let parsed
  try {
    parsed = parseArgs({ args, options: { out: { type: 'string' } }, allowPositionals: true, strict: true })
  } catch (error) {
    throw new ImportOsmUsageError((error as Error).message)
  }
  const { values, positionals } = parsed
  const [input] = positionals
  if (!input || !values.out || positionals.length > 1)
    throw new ImportOsmUsageError('expected one extract and --out')
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
  throw new ImportOsmUsageError(`cannot tell the format of ${path}: expected .osm.pbf or .osm`)
}

// geo/ imports nothing above it, so this entry answers --help itself rather than through the
// platform's command-line helper (server/core/cli), with the same exit statuses.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2)
  if (args.includes('--help') || args.includes('-h')) console.log(importOsmUsage)
  else
    runImportOsm(args, (line) => console.log(line)).catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error)
      process.exitCode = error instanceof ImportOsmUsageError ? 2 : 1
    })
}
