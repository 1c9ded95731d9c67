import { parentPort, workerData } from 'node:worker_threads'
import type { LatLon } from '../../geo/lat-lon.js'
import { buildGtfsFeed } from '../../geo/planner/gtfs-feed.js'
import type { PlanInput, PlanProgress } from '../../geo/planner/plan-model.js'
import { planLinesWithWorkings, type WhatIfBase } from '../../geo/planner/plan-lines.js'
import type { RoadNetwork } from '../../geo/roads/road-network.js'
import { loadRoadNetwork, startRouter } from '../core/routing/start-router.js'
import { compareWithBase, describePlanBasis, type PlanBasis } from '../core/planning/plan-basis.js'
import { decodePlanWorkings, encodePlanWorkings } from '../core/planning/plan-workings-codec.js'
import type { PlanJob, PlanJobBase, PlanWorkerMessage } from './plan-job.js'
import { planInputFromRegisters, type PlanRegisters } from './plan-input-from-registers.js'

/** Progress is posted when the phase changes or the plan has moved on by this share. */
const progressStep = 0.01

/**
 * One plan in its own thread, so that the server's event loop never waits for it: the thread takes
 * the registers the job carries, reads the roads, builds its own router, plans, and posts progress
 * and the result. Cancelling a plan terminates the thread.
 */
async function runPlanJob(job: PlanJob, post: (message: PlanWorkerMessage) => void) {
  const input = planInputFromRegisters(job.registers, {
    pupilScope: job.request.pupilScope,
    settings: job.request.settings,
  })
  const network = await loadRoadNetwork(job.roadsFile)
  const basis = describePlanBasis(input, network, { router: job.osrmUrl ? 'osrm' : 'embedded' })
  post({ kind: 'basis', basis })
  const routing = startRouter({ osrmUrl: job.osrmUrl, network, probe: probePoint(job.registers, network) })
  let last: PlanProgress | undefined
  const { result, workings } = await planLinesWithWorkings(
    input,
    { roads: routing.graph, router: routing.router },
    {
      onProgress: (progress) => {
        if (last && last.phase === progress.phase && progress.fraction - last.fraction < progressStep) return
        last = progress
        post({ kind: 'progress', progress })
      },
    },
    job.base ? chooseWhatIfBase(job.base, input, basis) : undefined,
  )
  post({
    kind: 'done',
    result,
    gtfs: buildGtfsFeed(result, input, job.feed),
    workings: encodePlanWorkings(workings),
  })
}

/**
 * The base's workings when the what-if may re-use them (the same input but for the times, the same
 * roads), else why it plans everything again.
 */
function chooseWhatIfBase(base: PlanJobBase, input: PlanInput, basis: PlanBasis): WhatIfBase {
  if (!base.workings || !base.basis) return { fullBecause: 'base_without_workings' }
  const differs = compareWithBase(input, basis, base.basis)
  if (differs) return { fullBecause: differs }
  try {
    return { base: { workings: decodePlanWorkings(base.workings), lines: base.lines } }
  } catch {
    return { fullBecause: 'workings_unusable' }
  }
}

/** Where the router's health is probed: the city's centre, else a town's, else the roads' first point. */
function probePoint(registers: PlanRegisters, network: RoadNetwork): LatLon {
  const town = registers.towns.find((t) => t.kind === 'city') ?? registers.towns[0]
  if (town) return { lat: town.lat, lon: town.lon }
  const [lon, lat] = network.ways[0]?.coords[0] ?? [0, 0]
  return { lat, lon }
}

const port = parentPort
if (!port) throw new Error('plan-worker.ts runs in a worker thread (see plan-runner.ts)')
const post = (message: PlanWorkerMessage) => port.postMessage(message)
await runPlanJob((workerData as { job: PlanJob }).job, post).catch((error: unknown) =>
  post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
)
