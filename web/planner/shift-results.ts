import { cell, row } from '../shared/table-cells.js'
import { renderComparison } from './compare-table.js'
import { explainReplan } from './explain-change.js'
import type { Plan, School } from './planner-contract.js'
import type { PlannerText } from './planner-text.js'

/**
 * The base plan's buses, rides, driving and cost beside those of the what-if, with each bus type's
 * share, why the cost moved and what the what-if planned again; empty until both are done.
 */
export function renderWhatIf(
  table: HTMLTableElement,
  plans: { base: Plan | null; whatIf: Plan | null },
  words: { t: PlannerText; schoolName: (id: string) => string },
) {
  const { t } = words
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
  // A what-if planned before what-ifs re-used their base says nothing of it.
  const replanned = plans.whatIf?.result?.replanned
  if (!replanned) return
  const why = explainReplan(replanned)
  const said = row(cell('th', t.replannedLabel), cell('td', t.explainReplan(why, words.schoolName)))
  said.className = 'replanned'
  said.dataset.mode = why.mode
  said.dataset.replanned = String(why.replanned)
  said.dataset.reused = String(why.reused)
  said.lastElementChild!.setAttribute('colspan', '2')
  table.append(said)
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
