import type { TripRoute } from '../../geo/eta/trip-route.js'
import type { PartName } from '../core/config/config-schema.js'
import type { PlanRunner } from '../core/planning/plan-runs.js'
import type { IngestStats } from '../../workers/ingest/ingest-worker.js'
import type { Jt808GatewayStats } from '../../workers/jt808/gateway-stats.js'
import type { ProcessContext } from './process-context.js'

/** A started part: `stop()` takes no new work, finishes what it accepted, and lets go of what it holds. */
export interface RunningPart {
  stop(): Promise<void>
}

/** What the parts started before it offer to a part of the same process. */
export interface RunningParts {
  api: RunningPart
  live: RunningPart & {
    /** The bus's latest position and ETA, as the live feed sent them. */
    snapshotOf(busId: string): Promise<unknown>
    /** The road geometry of a trip, as the ETAs follow it. */
    tripRoute(tripId: string): Promise<TripRoute>
  }
  ingest: RunningPart & { stats(): IngestStats }
  jt808: RunningPart & {
    /** Where terminals connect: `tcp://HOST:PORT`. */
    url: string
    /** The gateway's counters, and those of the ingest worker it feeds. */
    stats(): Jt808GatewayStats & { ingest: IngestStats }
  }
  events: RunningPart
  alarms: RunningPart
  planner: RunningPart & { runner: PlanRunner }
  simulator: RunningPart
}

/** Starts one part on the process's context, given the parts started before it. */
export type StartPart<P extends PartName> = (
  context: ProcessContext,
  before: Partial<RunningParts>,
) => Promise<RunningParts[P]>
