import { element } from '../shared/dom.js'
import { listenForProgress, watch } from './plan-runs.js'
import { createPlannerApi } from './planner-api.js'
import { wireControls } from './planner-controls.js'
import { createPlannerMap } from './planner-map.js'
import { fail, refuse, renderAll, renderStatic } from './planner-render.js'
import { densityCellM, opened, page, state } from './planner-state.js'

async function start() {
  renderStatic()
  const token = page.readSession()
  if (!token) return
  opened.api = createPlannerApi({ token })
  const { principal } = await opened.api.me()
  if (principal.role !== 'bureau') return refuse('not_bureau')
  ;[state.schools, state.density, state.today, state.plans] = await Promise.all([
    opened.api.schools(),
    opened.api.density(densityCellM),
    opened.api.today(),
    opened.api.plans(),
  ])
  opened.map = createPlannerMap(element('map'), {
    tiles: (await opened.api.pageConfig()).config.tiles,
    fetchRoads: opened.api.roads,
  })
  wireControls()
  listenForProgress(token)
  const newestDone = state.plans.find((plan) => plan.status === 'done')
  if (newestDone) state.base = await opened.api.plan(newestDone.id)
  renderAll()
  const running = state.plans.find((plan) => plan.status === 'running' && plan.progress)
  if (running?.progress) watch(running.id, 'base', running.progress)
}

start().catch(fail)
