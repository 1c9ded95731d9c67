import { randomUUID } from 'node:crypto'
import { Worker } from 'node:worker_threads'
import type { Clock } from '../core/clock/clock.js'
import { toShanghaiTime } from '../core/clock/shanghai-time.js'
import type { Logger } from '../core/log/logger.js'
import type { Queryable } from '../core/store/database.js'
import { newStreamMember } from '../core/stream/stream-member.js'
import type { PlanJob, PlanJobBase, PlanWorkerMessage } from './plan-job.js'
import { plannedRegisters, planRegisters, type PlanRegisters } from './plan-input-from-registers.js'
import { readRegisters } from '../core/registers/read-registers.js'
import { createPlanQueries, type PlanStatus, type StoredPlanOutcome } from '../core/store/plan-queries.js'
import type { PlanRequest } from '../core/planning/plan-request.js'
import type { PlanRunner, PlanRunProgress, PlanUpdate } from '../core/planning/plan-runs.js'

/** The part of a worker thread the runner uses. */
export interface PlanWorkerHandle {
  on(event: 'message', listener: (message: PlanWorkerMessage) => void): unknown
  on(event: 'error', listener: (error: Error) => void): unknown
  on(event: 'exit', listener: (code: number) => void): unknown
  terminate(): Promise<number>
}

/** Starts the thread that runs one job; the runner listens to it and terminates it on cancel. */
export type StartPlanWorker = (job: PlanJob) => PlanWorkerHandle

/**
 * Compiled, the plan worker is JavaScript beside this file. Run from the TypeScript sources (vitest,
 * tsx), a worker thread does not inherit the TypeScript loader (Node 20 runs no `--import` hooks in
 * workers), so a bootstrap registers tsx in the thread first.
 */
const startPlanWorker: StartPlanWorker = (job) =>
  import.meta.url.endsWith('.js')
    ? new Worker(new URL('./plan-worker.js', import.meta.url), { workerData: { job } })
    : new Worker(new URL('./plan-worker-bootstrap.mjs', import.meta.url), {
        workerData: { entry: new URL('./plan-worker.ts', import.meta.url).href, job },
      })

const feedValidDays = 365

/** How often a runner with plans tells the store it still runs them. */
export const planRunnerSeenEveryMs = 10_000
/** A running plan whose runner the store has not seen for this long is abandoned: its process is gone. */
export const planAbandonedAfterMs = 60_000

/**
 * Runs the bureau's plans one at a time, each in a worker thread, and keeps the `plans` table in
 * step: running → done, failed or cancelled. Plans asked for meanwhile wait their turn (they are
 * `running` in the table, `queued` in their progress). A plan that outlives `timeLimitMs` fails.
 *
 * Several processes may run plans on one store. Each plan records the runner that took it
 * (`runnerId`, one per process), and while the runner has plans it refreshes their
 * `runner_seen_at` every `seenEveryMs`; a runner's `failAbandoned` fails only the plans whose
 * runner has not been seen for `abandonedAfterMs`, so never those of a process still running.
 */
export function createPlanRunner(options: {
  db: Queryable
  clock: Clock
  log: Logger
  timeLimitMs: number
  /** Where the worker finds its roads (ROADS_FILE) and router (OSRM_URL, else the embedded graph). */
  routing: { roadsFile: string; osrmUrl?: string }
  agencyName?: string
  publish?: (update: PlanUpdate) => void
  startWorker?: StartPlanWorker
  /** This process among the store's plan runners; a new id (newStreamMember('planner')) by default. */
  runnerId?: string
  /** How often the runner refreshes its plans' `runner_seen_at`; planRunnerSeenEveryMs by default. */
  seenEveryMs?: number
  /** When another runner's plans count as abandoned; planAbandonedAfterMs by default. */
  abandonedAfterMs?: number
}): PlanRunner {
  const plans = createPlanQueries(options.db)
  const startWorker = options.startWorker ?? startPlanWorker
  const runnerId = options.runnerId ?? newStreamMember('planner')
  const seenEveryMs = options.seenEveryMs ?? planRunnerSeenEveryMs
  const abandonedAfterMs = options.abandonedAfterMs ?? planAbandonedAfterMs
  const progress = new Map<string, PlanRunProgress>()
  const queue: { id: string; request: PlanRequest; registers: PlanRegisters; base?: PlanJobBase }[] = []
  let current: {
    id: string
    stop: (status: 'failed' | 'cancelled', reason: string) => Promise<void>
  } | null = null
  let idle: Promise<void> = Promise.resolve()
  let stopped = false

  /**
   * While this runner has plans (running or waiting, all `running` in the table), the store hears
   * from it every seenEveryMs, so no other process takes them for abandoned. The timer runs only
   * while there are plans, never holds the process open, and ends with stop().
   */
  let seenTimer: ReturnType<typeof setInterval> | undefined
  let seeing: Promise<void> | undefined
  const stopSeeing = () => {
    clearInterval(seenTimer)
    seenTimer = undefined
  }
  const markSeen = () => {
    if (!current && queue.length === 0) return stopSeeing()
    if (seeing) return
    seeing = plans
      .markRunnerSeen(runnerId)
      .then(
        () => undefined,
        (error: unknown) => {
          options.log.warn('could not tell the store this process still runs its plans', {
            runner: runnerId,
            error: String(error),
          })
        },
      )
      .finally(() => (seeing = undefined))
  }
  const keepSeeing = () => {
    if (seenTimer || stopped) return
    seenTimer = setInterval(markSeen, seenEveryMs)
    seenTimer.unref()
  }

  const publish = (id: string, status: PlanStatus, at: PlanRunProgress) => {
    if (status === 'running') progress.set(id, at)
    else progress.delete(id)
    options.publish?.({ id, status, ...at })
  }

  const gtfsDate = (at: Date) => toShanghaiTime(at).date.replaceAll('-', '')
  const jobOf = (request: PlanRequest, registers: PlanRegisters, base?: PlanJobBase): PlanJob => {
    const start = options.clock.now()
    return {
      request,
      registers,
      ...(base ? { base } : {}),
      ...options.routing,
      feed: {
        agencyName: options.agencyName ?? '慈溪市教育局',
        startDate: gtfsDate(start),
        endDate: gtfsDate(new Date(start.getTime() + feedValidDays * 86_400_000)),
      },
    }
  }

  /** A what-if's base as the store holds it: none of it when it is not a done plan (the API refuses those). */
  const readBase = async (planId: string): Promise<PlanJobBase> => {
    const plan = await plans.findPlan(planId)
    const done = plan?.status === 'done' && plan.outcome && 'plan' in plan.outcome ? plan.outcome.plan : null
    return {
      planId,
      basis: plan?.basis ?? null,
      workings: done ? await plans.findPlanWorkings(planId) : null,
      lines: done?.lines ?? [],
    }
  }

  /** Starts the next waiting plan in its worker, unless one runs already. */
  const runNext = () => {
    if (current || stopped) return
    const next = queue.shift()
    if (!next) return
    const { id } = next
    let settled = false
    let last: PlanRunProgress = { phase: 'stops', fraction: 0 }
    publish(id, 'running', last)
    const worker = startWorker(jobOf(next.request, next.registers, next.base))
    let resolveEnded!: () => void
    idle = new Promise((resolve) => (resolveEnded = resolve))

    let basisStored: Promise<void> = Promise.resolve()
    const settle = async (
      status: Exclude<PlanStatus, 'running'>,
      outcome: StoredPlanOutcome,
      workings: Uint8Array | null = null,
    ) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      await worker.terminate().catch(() => undefined)
      await basisStored
      await plans.finishPlan(id, status, outcome, workings).catch((error: unknown) => {
        options.log.error('could not store the end of a plan', { id, status, error: String(error) })
      })
      if (status === 'failed' && 'error' in outcome)
        options.log.warn('plan failed', { id, error: outcome.error })
      publish(id, status, status === 'done' ? { phase: 'metrics', fraction: 1 } : last)
      current = null
      resolveEnded()
      runNext()
    }

    const timer = setTimeout(
      () => void settle('failed', { error: `the plan took longer than ${options.timeLimitMs} ms` }),
      options.timeLimitMs,
    )
    worker.on('message', (message) => {
      if (message.kind === 'basis') {
        basisStored = plans.recordBasis(id, message.basis).catch((error: unknown) => {
          options.log.error('could not store what a plan runs on', { id, error: String(error) })
        })
      } else if (message.kind === 'progress') {
        last = message.progress
        if (!settled) publish(id, 'running', last)
      } else if (message.kind === 'done') {
        void settle('done', { plan: message.result, gtfs: message.gtfs }, message.workings)
      } else {
        void settle('failed', { error: message.message })
      }
    })
    worker.on(
      'error',
      (error: Error) => void settle('failed', { error: `the planner stopped: ${error.message}` }),
    )
    worker.on('exit', (code) => void settle('failed', { error: `the planner exited (code ${code})` }))
    current = { id, stop: (status, reason) => settle(status, { error: reason }) }
  }

  return {
    /**
     * Stores the plan as running and queues it with the registers as they are now, which its
     * worker plans on, and a what-if with its base plan as stored; it starts at once when no other
     * plan runs.
     */
    async submit(request: PlanRequest, createdBy: string): Promise<{ id: string; status: 'running' }> {
      const registers = planRegisters(await readRegisters(options.db, { registers: plannedRegisters }))
      const base = request.basePlanId ? await readBase(request.basePlanId) : undefined
      const id = randomUUID()
      await plans.insertPlan({
        id,
        createdBy,
        inputs: request,
        createdAt: options.clock.now(),
        runner: runnerId,
      })
      queue.push({ id, request, registers, base })
      keepSeeing()
      publish(id, 'running', { phase: 'queued', fraction: 0 })
      runNext()
      return { id, status: 'running' }
    },

    /** Stops a waiting or running plan of this server; false when it is not one of them. */
    async cancel(id: string): Promise<boolean> {
      const waiting = queue.findIndex((plan) => plan.id === id)
      if (waiting >= 0) {
        queue.splice(waiting, 1)
        await plans.finishPlan(id, 'cancelled', { error: 'cancelled before it started' })
        publish(id, 'cancelled', { phase: 'queued', fraction: 0 })
        return true
      }
      if (current?.id !== id) return false
      await current.stop('cancelled', 'cancelled while it ran')
      return true
    },

    /** Where a plan of this server is; undefined once it has ended, or when another server runs it. */
    progressOf: (id: string): PlanRunProgress | undefined => progress.get(id),

    /**
     * Marks as failed the running plans whose runner the store has not seen for abandonedAfterMs
     * (its process stopped or died), and those stored before plans had runners; never this
     * runner's own. Call it before taking plans, and now and then while other processes plan.
     */
    failAbandoned: () =>
      plans.failAbandonedPlans('the server stopped while the plan ran', {
        unseenForMs: abandonedAfterMs,
        exceptRunner: runnerId,
      }),

    /** Ends every plan of this server as failed, the running one's thread included. */
    async stop() {
      stopped = true
      for (const { id } of queue.splice(0)) {
        await plans.finishPlan(id, 'failed', { error: 'the server stopped before the plan started' })
        publish(id, 'failed', { phase: 'queued', fraction: 0 })
      }
      await current?.stop('failed', 'the server stopped while the plan ran')
      await idle
      stopSeeing()
      await seeing
    },
  }
}
