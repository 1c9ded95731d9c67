import type { PlanUpdate } from '../core/planning/plan-runs.js'
import { createPlanRunner } from '../planning/plan-runner.js'
import { tickEvery } from './repeat-every.js'
import type { StartPart } from './running-part.js'

/** How often the part looks for plans left running by another planner process that died. */
const abandonedCheckMs = 60_000

/**
 * The planner part: the bureau's line plans, each in a worker thread, asked for through the API of
 * the same process, with their progress sent to the bureau's pages. Several processes may run it on
 * one store: each fails only the plans of planner processes that are gone, at start and every
 * minute after, never the plans another process still runs.
 */
export const startPlannerPart: StartPart<'planner'> = async (context) => {
  const { config, publisher } = context
  const log = context.log.child('planner')
  const runner = createPlanRunner({
    db: context.db,
    clock: context.clock,
    log,
    timeLimitMs: config.PLAN_TIME_LIMIT_MS,
    routing: { roadsFile: config.ROADS_FILE, osrmUrl: config.OSRM_URL },
    publish: (update: PlanUpdate) => publisher.publishToBureau('plan_progress', update),
  })
  const failAbandoned = async () => {
    const abandoned = await runner.failAbandoned()
    if (abandoned.length > 0) log.warn('plans left running by a stopped server marked failed', { abandoned })
  }
  await failAbandoned()
  const stopChecking = tickEvery(abandonedCheckMs, () =>
    failAbandoned().catch((error: unknown) =>
      log.warn('could not look for abandoned plans', { error: String(error) }),
    ),
  )
  if (!context.parts.has('api')) {
    log.warn('plans are asked for through the API: without the api part in PARTS this process runs none')
  }
  return {
    runner,
    async stop() {
      await stopChecking()
      await runner.stop()
    },
  }
}
