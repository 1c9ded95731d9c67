import type { PartName } from '../core/config/config-schema.js'
import type { ProcessContext } from './process-context.js'
import type { RunningPart, RunningParts, StartPart } from './running-part.js'
import { startAlarmsPart } from './start-alarms-part.js'
import { startApiPart } from './start-api-part.js'
import { startEventsPart } from './start-events-part.js'
import { startIngestPart } from './start-ingest-part.js'
import { startJt808Part } from './start-jt808-part.js'
import { startLivePart } from './start-live-part.js'
import { startPlannerPart } from './start-planner-part.js'
import { startSimulatorPart } from './start-simulator-part.js'

/** Every part by its name in PARTS. */
export const partRegistry: { readonly [P in PartName]: StartPart<P> } = {
  api: startApiPart,
  live: startLivePart,
  ingest: startIngestPart,
  jt808: startJt808Part,
  events: startEventsPart,
  alarms: startAlarmsPart,
  planner: startPlannerPart,
  simulator: startSimulatorPart,
}

/**
 * The order parts start in; they stop in the reverse. The consumers of committed reports (live,
 * events) start before the ingests that feed them (the broker's, then the JT/T 808 gateway's), and
 * drain after they have stopped; the simulator starts once the ingest takes its reports and stops
 * before it; the api comes last, using what the others offer, and its HTTP server listens only once
 * every part has started.
 */
export const partStartOrder: readonly PartName[] = [
  'live',
  'events',
  'alarms',
  'ingest',
  'jt808',
  'simulator',
  'planner',
  'api',
]

export interface StartedParts {
  readonly running: Partial<RunningParts>
  /** Stops the started parts, last started first. */
  stop(): Promise<void>
}

/** Starts the context's parts in `partStartOrder`; if one fails, those already started are stopped. */
export async function startParts(context: ProcessContext): Promise<StartedParts> {
  const running: Partial<RunningParts> = {}
  const started: { name: PartName; part: RunningPart }[] = []
  const stop = async () => {
    for (const { name, part } of started.splice(0).reverse()) {
      await part
        .stop()
        .catch((error: unknown) =>
          context.log.warn(`error while stopping the ${name} part`, { error: String(error) }),
        )
    }
  }
  const start = async <P extends PartName>(name: P) => {
    const part = await partRegistry[name](context, running)
    running[name] = part
    started.push({ name, part })
  }
  try {
    for (const name of partStartOrder) if (context.parts.has(name)) await start(name)
  } catch (error) {
    await stop()
    throw error
  }
  return { running, stop }
}
