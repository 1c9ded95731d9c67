import { renderSideBySide } from './plan-comparison.js'
import { proposalRequest, whatIfRequest } from './plan-requests.js'
import { startPlan } from './plan-runs.js'
import type { TimeShift } from './planner-contract.js'
import { fail, renderAll, renderMap } from './planner-render.js'
import { opened, page, state, text, ui } from './planner-state.js'
import { fillTimeChoices } from './school-choices.js'

async function download(path: string, fileName: string) {
  const blob = await opened.api.download(path)
  const link = document.createElement('a')
  link.href = URL.createObjectURL(blob)
  link.download = fileName
  link.click()
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000)
}

function optionalNumber(value: string): number | undefined {
  return value === '' ? undefined : Number(value)
}

export function wireControls() {
  page.onLanguageChange(renderAll)
  ui.scope.addEventListener('change', () => (ui.scopeSchoolField.hidden = ui.scope.value !== 'school'))
  ui.whatIfSchool.addEventListener('change', fillTimeChoices)
  ui.proposeSchool.addEventListener('change', fillTimeChoices)
  ui.showToday.addEventListener('change', renderMap)
  for (const select of [ui.compareFirst, ui.compareSecond])
    select.addEventListener('change', () => void renderSideBySide().catch(fail))
  ui.run.addEventListener('click', () => {
    const pupilScope =
      ui.scope.value === 'school'
        ? { kind: 'schools' as const, schoolIds: [ui.scopeSchool.value] }
        : { kind: ui.scope.value as 'riders' | 'line_riders' }
    const name = ui.planName.value.trim() || null
    const searchTimeLimitMs = Math.round(Number(ui.searchS.value) * 1000)
    void startPlan('base', { name, pupilScope, settings: { searchTimeLimitMs } }).catch(fail)
  })
  ui.cancel.addEventListener('click', () => {
    if (state.job) void opened.api.cancelPlan(state.job.id).catch(fail)
  })
  ui.whatIfRun.addEventListener('click', () => {
    if (!state.base) return
    const waveId = ui.whatIfWave.value
    const grade = optionalNumber(ui.whatIfGrade.value)
    const shift: TimeShift = {
      schoolId: ui.whatIfSchool.value,
      ...(waveId ? { waveId } : grade === undefined ? {} : { grade }),
      shiftMin: Number(ui.whatIfShift.value),
    }
    const name = `${state.base.name ?? ''} · ${text().whatIf}`.trim()
    void startPlan('whatif', whatIfRequest(state.base, shift, name)).catch(fail)
  })
  ui.proposeRun.addEventListener('click', () => {
    if (!state.base) return
    const waveId = ui.proposeWave.value || undefined
    const window = {
      schoolId: ui.proposeSchool.value,
      ...(waveId ? { waveId } : {}),
      earliestMin: Number(ui.proposeEarliest.value),
      latestMin: Number(ui.proposeLatest.value),
    }
    const name = `${state.base.name ?? ''} · ${text().propose}`.trim()
    void startPlan('propose', proposalRequest(state.base, window, name)).catch(fail)
  })
  ui.downloadGeoJson.addEventListener('click', () => {
    if (state.base)
      void download(`/api/plans/${state.base.id}/geojson`, `plan-${state.base.id}.geojson`).catch(fail)
  })
  ui.downloadGtfs.addEventListener('click', () => {
    if (state.base)
      void download(`/api/plans/${state.base.id}/gtfs.zip`, `plan-${state.base.id}-gtfs.zip`).catch(fail)
  })
}
