import { AccessRefused } from '../shared/api-client.js'
import type { ErrorKind } from './attendant-text.js'
import type { Tone } from './attendant-view.js'
import { alarmKey, rosterView, selectedTrip, state, text, view } from './attendant-state.js'

export function refuse(kind: ErrorKind) {
  state.stopped = true
  state.camera?.stop()
  view.showError(kind, text())
}

export function fail(error: unknown) {
  if (error instanceof AccessRefused) refuse(error.kind)
  else console.error(error)
}

export function render() {
  if (state.stopped) return
  const t = text()
  view.showBus([state.today?.plate ?? '', state.today?.date ?? ''])
  showConnection()
  view.showTrips(state.today?.trips ?? [], state.selectedTripId, t)
  view.showAlarms(state.alarms, t, alarmKey)
  view.showRefused(state.refusals.date === state.today?.date ? state.refusals.lines : [])
  const trip = selectedTrip()
  view.showEnd(
    trip,
    state.queued.some((i) => i.kind === 'end' && i.tripId === state.selectedTripId),
    t,
  )
  const shown = rosterView()
  if (!shown) return
  const { stops } = shown.trip
  const { seq, source } = shown.stop
  view.showStop(stops.find((s) => s.seq === seq)?.name ?? '', source, t, {
    first: seq === stops[0]?.seq,
    last: seq === stops.at(-1)?.seq,
  })
  view.showRoster(shown.roster, t)
  if (view.isEndDialogOpen()) view.showEndDialog(shown.roster.onBoard, t)
}

/**
 * Online only while both the API and the live channel answer: answers the service worker kept
 * make the API look reachable while the server is down, and without the live channel no alarm
 * reaches the phone.
 */
function showConnection() {
  const t = text()
  const waiting = state.queued.length
  const apiUp = navigator.onLine && state.reachable
  const lost = !apiUp ? t.offline : state.liveUp === false ? t.liveLost : null
  const status = lost ? 'offline' : waiting > 0 ? 'waiting' : 'online'
  const message = [lost, waiting > 0 ? t.waitingToSend(waiting) : null].filter(Boolean).join(' · ')
  view.showConnection(status, message || t.online, waiting)
}

export function tell(message: string, tone: Tone) {
  view.showResult(message, tone)
  if (tone !== 'good') navigator.vibrate?.(tone === 'bad' ? [200, 100, 200] : 200)
}
