import { readFile } from 'node:fs/promises'
import type { LatLon } from '../../../geo/lat-lon.js'
import type { RoadNetwork } from '../../../geo/roads/road-network.js'
import { parseRoadNetwork } from '../../../geo/roads/road-network-schema.js'
import { createGraphRouter } from '../../../geo/routing/graph-router.js'
import { createOsrmRouter } from '../../../geo/routing/osrm-client.js'
import { buildRoadGraph, type RoadGraph } from '../../../geo/routing/road-graph.js'
import type { Router } from '../../../geo/routing/router.js'
import type { HealthCheck } from '../health/health-report.js'

export interface RunningRouter {
  router: Router
  /** The road network as a graph, for the questions OSRM does not answer (a road's class and limit). */
  graph: RoadGraph
  description: string
  health: HealthCheck
}

export async function loadRoadNetwork(file: string): Promise<RoadNetwork> {
  let json: unknown
  try {
    json = JSON.parse(await readFile(file, 'utf8'))
  } catch (error) {
    throw new Error(`ROADS_FILE ${file} could not be read as JSON: ${(error as Error).message}`, {
      cause: error,
    })
  }
  return parseRoadNetwork(json)
}

/** OSRM when OSRM_URL names a server; otherwise the embedded graph built from the road network. */
export function startRouter(options: {
  osrmUrl?: string
  network: RoadNetwork
  probe: LatLon
}): RunningRouter {
  if (options.osrmUrl) {
    const router = createOsrmRouter({ baseUrl: options.osrmUrl, timeoutMs: 5000, retries: 1 })
    return {
      router,
      graph: buildRoadGraph(options.network),
      description: `OSRM at ${options.osrmUrl}`,
      health: async () => {
        await router.nearest(options.probe)
        return { ok: true, detail: 'osrm' }
      },
    }
  }
  const router = createGraphRouter(options.network)
  const { nodeCount, pieceCount } = router.stats
  return {
    router,
    graph: router.graph,
    description: `embedded road graph (${nodeCount} nodes, ${pieceCount} road pieces; ${options.network.source})`,
    health: async () => ({ ok: true, detail: `graph, ${nodeCount} nodes` }),
  }
}
