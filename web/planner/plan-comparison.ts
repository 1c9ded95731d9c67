import { formatCixiDate, formatCixiTime } from '../shared/cixi-time.js'
import { renderComparison } from './compare-table.js'
import type { Plan, PlanSummary } from './planner-contract.js'
import { donePlans, opened, state, text, ui } from './planner-state.js'

/** The done plans to pick from for the side-by-side view, keeping what was picked. */
export function fillComparePicks() {
  const t = text()
  const done = state.plans.filter((plan) => plan.status === 'done')
  for (const select of [ui.compareFirst, ui.compareSecond]) {
    const chosen = select.value
    select.replaceChildren(
      new Option(t.comparePick, ''),
      ...done.map((plan) => new Option(planLabel(plan), plan.id, false, plan.id === chosen)),
    )
  }
}

export function planLabel(plan: PlanSummary | Plan): string {
  const createdMs = Date.parse(plan.createdAt)
  return `${formatCixiDate(createdMs).slice(5)} ${formatCixiTime(createdMs)} ${plan.name ?? ''}`.trim()
}

export async function renderSideBySide() {
  const ids = [ui.compareFirst.value, ui.compareSecond.value]
  const picked = await Promise.all(
    ids.map(async (id) => {
      if (!id) return null
      const known = donePlans.get(id) ?? (await opened.api.plan(id))
      donePlans.set(id, known)
      return known
    }),
  )
  const [first, second] = picked
  ui.compareResult.hidden = !first?.result || !second?.result
  if (!first?.result || !second?.result) return ui.compareResult.replaceChildren()
  ui.compareResult.dataset.first = first.id
  ui.compareResult.dataset.second = second.id
  renderComparison(
    ui.compareResult,
    [
      { heading: planLabel(first), className: 'first', metrics: first.result.metrics },
      { heading: planLabel(second), className: 'second', metrics: second.result.metrics },
    ],
    { t: text() },
  )
}
