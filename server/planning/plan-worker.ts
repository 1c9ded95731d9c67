import { parentPort, workerData } from 'node:worker_threads'
import { loadCixiWorld } from '../../fixtures/cixi-world.js'
import { buildGtfsFeed } from '../../geo/planner/gtfs-feed.js'
import type { PlanProgress } from '../../geo/planner/plan-model.js'
import { planLines } from '../../geo/planner/plan-lines.js'
import { loadRoadNetwork, startRouter } from '../core/routing/start-router.js'
import { describePlanBasis } from '../core/planning/plan-basis.js'
import type { PlanJob, PlanWorkerMessage } from './plan-job.js'
import { planInputFromWorld } from './plan-input-from-world.js'

/** Progress is posted when the phase changes or the plan has moved on by this share. */
const progressStep = 0.01

/**
 * One plan in its own thread, so that the server's event loop never waits for it: the thread reads
 * the world, builds its own router, plans, and posts progress and the result. Cancelling a plan
 * terminates the thread.
 */
async function runPlanJob(job: PlanJob, post: (message: PlanWorkerMessage) => void) {
  const world = await loadCixiWorld()
  const input = planInputFromWorld(world, {
    pupilScope: job.request.pupilScope,
    settings: job.request.settings,
  })
  const network = job.roadsFile ? await loadRoadNetwork(job.roadsFile) : world.roads
  post({
    kind: 'basis',
    basis: describePlanBasis(input, network, { router: job.osrmUrl ? 'osrm' : 'embedded' }),
  })
  const routing = startRouter({ osrmUrl: job.osrmUrl, network, probe: world.city.centre })
  let last: PlanProgress | undefined
  const result = await planLines(
    input,
    { roads: routing.graph, router: routing.router },
    {
      onProgress: (progress) => {
        if (last && last.phase === progress.phase && progress.fraction - last.fraction < progressStep) return
        last = progress
        post({ kind: 'progress', progress })
      },
    },
  )
  post({ kind: 'done', result, gtfs: buildGtfsFeed(result, input, job.feed) })
}

const port = parentPort
if (!port) throw new Error('plan-worker.ts runs in a worker thread (see plan-runner.ts)')
const post = (message: PlanWorkerMessage) => port.postMessage(message)
await runPlanJob((workerData as { job: PlanJob }).job, post).catch((error: unknown) =>
  post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
)
