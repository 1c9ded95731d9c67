import { renderComparison } from './compare-table.js'
import type { Plan, School } from './planner-contract.js'
import type { PlannerText } from './planner-text.js'

/**
 * The base plan's buses, rides, driving and cost beside those of the what-if, with each bus type's
 * share and why the cost moved; empty until both are done.
 */
export function renderWhatIf(
  table: HTMLTableElement,
  plans: { base: Plan | null; whatIf: Plan | null },
  t: PlannerText,
) {
  const shifted = plans.whatIf?.result?.metrics
  const before = plans.base?.result?.metrics
  table.hidden = !shifted || !before
  if (!shifted || !before) return table.replaceChildren()
  table.dataset.baseBuses = String(before.buses)
  table.dataset.shiftedBuses = String(shifted.buses)
  renderComparison(
    table,
    [
      { heading: t.basePlan, className: 'base', metrics: before },
      { heading: t.shiftedPlan, className: 'shifted', metrics: shifted },
    ],
    { t, keys: ['buses', 'meanRideS', 'maxRideS', 'busKmPerDay', 'costPerDayYuan'] },
  )
}

/** The shifts a proposal plan found and the buses they save, or that it found none. */
export function renderProposal(
  list: HTMLElement,
  proposal: Plan | null,
  words: { t: PlannerText; schools: School[]; schoolName: (id: string) => string },
) {
  const { t, schools, schoolName } = words
  const found = proposal?.result?.shiftProposal
  list.hidden = !proposal?.result
  if (!proposal?.result) return list.replaceChildren()
  const item = (text: string) => Object.assign(document.createElement('li'), { textContent: text })
  if (!found || found.shifts.length === 0) return list.replaceChildren(item(t.proposalNone))
  const waveName = (schoolId: string, waveId: string) =>
    schools.find((s) => s.id === schoolId)?.schedule.dismissalWaves.find((w) => w.id === waveId)?.name ??
    waveId
  list.dataset.busesBefore = String(found.busesBefore)
  list.dataset.busesAfter = String(found.busesAfter)
  list.replaceChildren(
    ...found.shifts.map((shift) => {
      const what = shift.waveId
        ? waveName(shift.schoolId, shift.waveId)
        : shift.grade
          ? `${t.grade} ${shift.grade}`
          : t.allGrades
      return item(t.proposalShift(schoolName(shift.schoolId), what, shift.shiftMin))
    }),
    item(t.proposalSaves(found.busesBefore, found.busesAfter)),
  )
}
