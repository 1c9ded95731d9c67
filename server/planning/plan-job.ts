import type { PlanProgress, PlanResult } from '../../geo/planner/plan-model.js'
import type { PlanBasis } from '../core/planning/plan-basis.js'
import type { PlanRequest } from '../core/planning/plan-request.js'

/** What a plan's worker thread is given: the request and where to find the roads and the router. */
export interface PlanJob {
  request: PlanRequest
  /** A road network file to drive on instead of the Cixi world's own roads. */
  roadsFile?: string
  /** OSRM instead of the embedded road graph. */
  osrmUrl?: string
  /** The service period the GTFS feed is valid for, local dates YYYYMMDD. */
  feed: { agencyName: string; startDate: string; endDate: string }
}

/**
 * What the worker thread posts back, in order: what the plan runs on once its input is built,
 * progress any number of times, then one end.
 */
export type PlanWorkerMessage =
  | { kind: 'basis'; basis: PlanBasis }
  | { kind: 'progress'; progress: PlanProgress }
  | { kind: 'done'; result: PlanResult; gtfs: Record<string, string> }
  | { kind: 'failed'; message: string }
