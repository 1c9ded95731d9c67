import type { School } from './planner-contract.js'
import { schoolName, state, text, ui } from './planner-state.js'

export function fillSchoolSelect(select: HTMLSelectElement) {
  const chosen = select.value
  select.replaceChildren(
    ...state.schools.map((s) => new Option(schoolName(s.id), s.id, false, s.id === chosen)),
  )
}

/** The grades and waves of the school picked for a what-if or a proposal. */
export function fillTimeChoices() {
  const t = text()
  const whatIfSchool = state.schools.find((s) => s.id === ui.whatIfSchool.value)
  const keep = (select: HTMLSelectElement, options: HTMLOptionElement[]) => {
    const chosen = select.value
    select.replaceChildren(...options)
    if (options.some((o) => o.value === chosen)) select.value = chosen
  }
  const waves = (school: School | undefined) =>
    (school?.schedule.dismissalWaves ?? []).map((w) => new Option(`${w.name} ${w.time.slice(0, 5)}`, w.id))
  keep(ui.whatIfGrade, [
    new Option(t.allGrades, ''),
    ...(whatIfSchool?.schedule.grades ?? []).map(
      (g) => new Option(`${g.grade} · ${g.startTime.slice(0, 5)}`, String(g.grade)),
    ),
  ])
  keep(ui.whatIfWave, [new Option(t.noWave, ''), ...waves(whatIfSchool)])
  keep(ui.proposeWave, [
    new Option(t.noWave, ''),
    ...waves(state.schools.find((s) => s.id === ui.proposeSchool.value)),
  ])
}
