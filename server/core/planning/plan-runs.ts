import type { PlanProgress } from '../../../geo/planner/plan-model.js'
import type { PlanRequest } from './plan-request.js'
import type { PlanStatus } from '../store/plan-queries.js'

/** Where a plan is: waiting for the one before it, or in one of the planner's phases. */
export interface PlanRunProgress {
  phase: 'queued' | PlanProgress['phase']
  fraction: number
}

/** What the bureau's pages are told as a plan moves on (the live channel's `plan_progress`). */
export interface PlanUpdate extends PlanRunProgress {
  id: string
  status: PlanStatus
}

/** The bureau's plan runner as the API uses it; server/planning implements it. */
export interface PlanRunner {
  /** Stores the plan as running and queues it; it starts at once when no other plan runs. */
  submit(request: PlanRequest, createdBy: string): Promise<{ id: string; status: 'running' }>
  /** Stops a waiting or running plan of this server; false when it is not one of them. */
  cancel(id: string): Promise<boolean>
  /** Where a plan of this server is; undefined once it has ended, or when another server runs it. */
  progressOf(id: string): PlanRunProgress | undefined
  /**
   * Marks as failed the plans left running by a process that is gone: those whose runner the store
   * has not heard from for a while (a process with plans refreshes them), never those of a process
   * still running them. Returns their ids. Call it before taking plans, and now and then after.
   */
  failAbandoned(): Promise<string[]>
  /** Ends every plan of this server as failed, the running one's thread included. */
  stop(): Promise<void>
}
