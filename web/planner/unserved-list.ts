import { cell, row } from '../shared/table-cells.js'
import type { UnservedPupil } from './planner-contract.js'
import type { PlannerText } from './planner-text.js'
import { groupUnserved } from './unserved-groups.js'

/**
 * The pupils a plan leaves without a bus: how many for each reason, and for each reason a table by
 * school and grade with their pupil codes. No name and no home: these are children.
 */
export function renderUnserved(
  box: HTMLElement,
  unserved: UnservedPupil[] | null,
  words: { t: PlannerText; schoolName: (id: string) => string },
) {
  const { t } = words
  if (!unserved) return box.replaceChildren()
  const groups = groupUnserved(unserved)
  if (groups.length === 0)
    return box.replaceChildren(Object.assign(document.createElement('p'), { textContent: t.unservedNone }))
  box.replaceChildren(
    ...groups.map((group) => {
      const section = document.createElement('section')
      section.className = 'reason'
      section.dataset.reason = group.reason
      section.dataset.count = String(group.count)
      const heading = document.createElement('h3')
      heading.textContent = `${t.unservedReasons[group.reason] ?? t.otherReason} · ${t.unservedCount(group.count)}`
      const table = document.createElement('table')
      table.append(
        row(cell('th', t.school), cell('th', t.grade), cell('th', t.pupilsColumn), cell('th', t.pupilCodes)),
      )
      for (const c of group.classes) {
        const tr = row(
          cell('td', c.schoolId === null ? t.unknownSchool : words.schoolName(c.schoolId)),
          cell('td', c.grade === null ? '–' : t.gradeOf(c.grade)),
          cell('td', String(c.pupilIds.length), 'count'),
          cell('td', c.pupilIds.join(', '), 'codes'),
        )
        if (c.schoolId !== null) tr.dataset.schoolId = c.schoolId
        if (c.grade !== null) tr.dataset.grade = String(c.grade)
        table.append(tr)
      }
      section.append(heading, table)
      return section
    }),
  )
}
