import type { io as socketIoClient } from 'socket.io-client'
import { AccessRefused, ApiRejected } from '../shared/api-client.js'
import { fillComparePicks } from './plan-comparison.js'
import { planUpdateSchema, type PlanProgress, type PlanRequest } from './planner-contract.js'
import { fail, renderAll, renderPlanList, renderProgress, showMessage } from './planner-render.js'
import { opened, setBase, state, text, type Purpose } from './planner-state.js'

const pollMs = 1000

export async function refreshPlans() {
  state.plans = await opened.api.plans()
  renderPlanList()
  fillComparePicks()
}

export async function startPlan(purpose: Purpose, request: PlanRequest) {
  showMessage(null)
  try {
    const started = await opened.api.startPlan(request)
    watch(started.id, purpose, { phase: 'queued', fraction: 0 })
  } catch (error) {
    if (error instanceof ApiRejected) showMessage(error.message)
    else throw error
  }
  await refreshPlans()
}

export function watch(id: string, purpose: Purpose, progress: PlanProgress) {
  state.job = { id, purpose, progress }
  renderProgress()
  clearTimeout(state.pollTimer)
  schedulePoll()
}

function schedulePoll() {
  state.pollTimer = setTimeout(() => void poll().catch(fail), pollMs)
}

/** Asks after the running plan until it ends; the live channel only makes the bar move sooner. */
async function poll() {
  if (!state.job) return
  const watched = state.job
  const plan = await opened.api.plan(watched.id).catch((error: unknown) => {
    if (error instanceof AccessRefused) throw error
    return null
  })
  if (state.job !== watched) return
  if (!plan || plan.status === 'running') {
    if (plan?.progress) state.job.progress = plan.progress
    renderProgress()
    return schedulePoll()
  }
  state.job = null
  if (plan.status === 'failed') showMessage(text().failed(plan.error ?? ''))
  if (plan.status === 'done') {
    if (watched.purpose === 'base') setBase(plan)
    else if (watched.purpose === 'whatif') state.whatIf = plan
    else state.proposal = plan
  }
  renderAll()
  await refreshPlans()
}

export function listenForProgress(token: string) {
  const io = (globalThis as { io?: typeof socketIoClient }).io
  if (!io) return
  const socket = io({ auth: { token }, transports: ['websocket'] })
  socket.on('plan_progress', (payload: unknown) => {
    const update = planUpdateSchema.safeParse(payload)
    if (!update.success || update.data.id !== state.job?.id || update.data.status !== 'running') return
    state.job.progress = { phase: update.data.phase, fraction: update.data.fraction }
    renderProgress()
  })
}
