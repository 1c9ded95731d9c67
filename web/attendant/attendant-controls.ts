import { otherLang } from '../shared/language.js'
import { acknowledge } from './attendant-alarms.js'
import type { RosterPupil, ScanAction } from './attendant-contract.js'
import { fail, render } from './attendant-render.js'
import {
  chooseStop,
  currentStop,
  keys,
  selectTrip,
  state,
  storage,
  text,
  trips,
  view,
} from './attendant-state.js'
import { refresh } from './attendant-sync.js'
import { stepStop } from './current-stop.js'
import { closeCamera, endTrip, openCamera, record, scanCode } from './scan-recording.js'

function pupilOf(id: string | undefined): RosterPupil | undefined {
  return state.selectedTripId
    ? trips.get(state.selectedTripId)?.pupils.find((p) => p.pupilId === id)
    : undefined
}

function actOn(event: Event) {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-pupil-id]')
  const pupil = pupilOf(button?.dataset.pupilId)
  if (button && pupil) void record({ pupil }, button.dataset.action as ScanAction).catch(fail)
}

export function wireControls() {
  view.language.addEventListener('click', () => {
    state.lang = otherLang(state.lang)
    storage.setItem(keys.lang, state.lang)
    view.showLanguage(text())
    render()
  })
  view.trips.addEventListener('click', (event) => {
    const tab = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-trip-id]')
    if (!tab) return
    selectTrip(tab.dataset.tripId!)
    render()
    void refresh().catch(fail)
  })
  view.roster.addEventListener('click', actOn)
  view.endOnBoard.addEventListener('click', actOn)
  view.entry.addEventListener('submit', (event) => {
    event.preventDefault()
    const raw = view.codeInput.value
    view.codeInput.value = ''
    if (raw.trim()) scanCode(raw)
  })
  for (const [button, step] of [
    [view.stopBack, -1],
    [view.stopForward, 1],
  ] as const) {
    button.addEventListener('click', () => {
      const trip = state.selectedTripId ? trips.get(state.selectedTripId) : undefined
      if (!trip) return
      chooseStop(stepStop(trip.stops, currentStop(trip).seq, step))
      render()
    })
  }
  view.scanButton.addEventListener('click', () => void openCamera())
  view.cameraClose.addEventListener('click', closeCamera)
  view.endTrip.addEventListener('click', () => {
    view.openEndDialog()
    render()
  })
  view.confirmEmpty.addEventListener('change', render)
  view.endCancel.addEventListener('click', () => view.closeEndDialog())
  view.endConfirm.addEventListener('click', () => void endTrip().catch(fail))
  view.alarmList.addEventListener('click', (event) => {
    const item = (event.target as HTMLElement)
      .closest<HTMLElement>('.acknowledge')
      ?.closest<HTMLElement>('li')
    if (item?.dataset.key) void acknowledge(item.dataset.key).catch(fail)
  })
  window.addEventListener('online', () => void refresh().catch(fail))
  window.addEventListener('offline', render)
}
