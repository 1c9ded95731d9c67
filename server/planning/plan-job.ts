import type { PlannedLine, PlanProgress, PlanResult } from '../../geo/planner/plan-model.js'
import type { PlanBasis } from '../core/planning/plan-basis.js'
import type { PlanRequest } from '../core/planning/plan-request.js'
import type { PlanRegisters } from './plan-input-from-registers.js'

/**
 * What a plan's worker thread is given: the request, the registers it plans on, and where to find
 * the roads and the router. The thread opens no store (the embedded one belongs to the process
 * that opened it): the registers come with the job.
 */
export interface PlanJob {
  request: PlanRequest
  /** The registers as the store held them when the plan was asked for, less what no plan needs. */
  registers: PlanRegisters
  /** The road network file to drive on (ROADS_FILE). */
  roadsFile: string
  /** OSRM instead of the embedded road graph. */
  osrmUrl?: string
  /** The service period the GTFS feed is valid for, local dates YYYYMMDD. */
  feed: { agencyName: string; startDate: string; endDate: string }
  /** A what-if's base plan as the store holds it; the thread decides whether its workings fit. */
  base?: PlanJobBase
}

export interface PlanJobBase {
  planId: string
  /** What the base ran on; null for a plan stored before bases were recorded. */
  basis: PlanBasis | null
  /** Its workings, encoded (plan-workings-codec.ts); null when it kept none. */
  workings: Uint8Array | null
  /** Its drawn lines: a line the what-if calls at the same stops keeps its geometry. */
  lines: PlannedLine[]
}

/**
 * What the worker thread posts back, in order: what the plan runs on once its input is built,
 * progress any number of times, then one end.
 */
export type PlanWorkerMessage =
  | { kind: 'basis'; basis: PlanBasis }
  | { kind: 'progress'; progress: PlanProgress }
  | { kind: 'done'; result: PlanResult; gtfs: Record<string, string>; workings: Uint8Array }
  | { kind: 'failed'; message: string }
