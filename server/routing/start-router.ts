import { readFile } from 'node:fs/promises'
import type { LatLon } from '../../geo/lat-lon.js'
import { parseRoadNetwork } from '../../geo/roads/road-network-schema.js'
import { createGraphRouter } from '../../geo/routing/graph-router.js'
import { createOsrmRouter } from '../../geo/routing/osrm-client.js'
import type { Router } from '../../geo/routing/router.js'
import type { HealthCheck } from '../health/health-report.js'

export interface RunningRouter {
  router: Router
  description: string
  health: HealthCheck
}

/** OSRM when OSRM_URL names a server; otherwise the embedded graph built from the roads file. */
export async function startRouter(options: {
  osrmUrl?: string
  roadsFile: string
  probe: LatLon
}): Promise<RunningRouter> {
  if (options.osrmUrl) {
    const router = createOsrmRouter({ baseUrl: options.osrmUrl, timeoutMs: 5000, retries: 1 })
    return {
      router,
      description: `OSRM at ${options.osrmUrl}`,
      health: async () => {
        await router.nearest(options.probe)
        return { ok: true, detail: 'osrm' }
      },
    }
  }
  let json: unknown
  try {
    json = JSON.parse(await readFile(options.roadsFile, 'utf8'))
  } catch (error) {
    throw new Error(
      `ROADS_FILE ${options.roadsFile} could not be read as JSON: ${(error as Error).message}`,
      {
        cause: error,
      },
    )
  }
  const network = parseRoadNetwork(json)
  const router = createGraphRouter(network)
  const { nodeCount, pieceCount } = router.stats
  return {
    router,
    description: `embedded road graph from ${options.roadsFile} (${nodeCount} nodes, ${pieceCount} road pieces; ${network.source})`,
    health: async () => ({ ok: true, detail: `graph, ${nodeCount} nodes` }),
  }
}
