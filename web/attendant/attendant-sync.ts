import { AccessRefused, type ApiRejected } from '../shared/api-client.js'
import { formatCixiTime } from '../shared/cixi-time.js'
import { describeRefusal } from '../shared/refusal-text.js'
import { loadAlarms, upsertAlarm } from './attendant-alarms.js'
import type { EndAnswer, ScanAnswer } from './attendant-contract.js'
import { render, tell } from './attendant-render.js'
import { boardingLog, io, keys, reach, selectTrip, state, storage, text, trips } from './attendant-state.js'
import type { QueuedItem } from './scan-queue.js'

const keptRefusals = 20

export async function loadToday() {
  const answer = await reach(() => io.api.today(state.busId))
  if (!answer) return
  state.today = answer
  const ids = answer.trips.map((t) => t.tripId)
  if (!state.selectedTripId || !ids.includes(state.selectedTripId)) {
    const pick =
      answer.trips.find((t) => t.state === 'running') ??
      answer.trips.find((t) => t.state === 'upcoming') ??
      answer.trips.at(-1)
    selectTrip(pick?.tripId ?? null)
  }
}

/** The trip's stops and roster, asked for once unless `again`. */
async function loadTrip(tripId: string, again = false) {
  if (trips.has(tripId) && !again) return
  const [detail, roster] = await Promise.all([
    reach(() => io.api.trip(tripId)),
    reach(() => io.api.roster(tripId)),
  ])
  if (detail && roster)
    trips.set(tripId, { direction: detail.trip.direction, stops: detail.stops, pupils: roster.pupils })
}

export async function loadBoardings() {
  const tripId = state.selectedTripId
  if (!tripId || !state.today) return
  const date = state.today.date
  const answer = await reach(() => io.api.boardings(tripId, date))
  if (answer && tripId === state.selectedTripId)
    state.boardings = boardingLog.add(tripId, date, answer.boardings)
}

/** Everything again from the server, after sending what this phone holds. */
export function refresh(options: { tripAgain?: boolean } = {}): Promise<void> {
  state.refreshing ??= (async () => {
    await flush()
    await loadToday()
    if (state.selectedTripId) await loadTrip(state.selectedTripId, options.tripAgain)
    await Promise.all([loadBoardings(), loadAlarms()])
    render()
  })().finally(() => (state.refreshing = null))
  return state.refreshing
}

export async function flush() {
  const result = await io.sender.flush()
  state.queued = await io.queue.all()
  if (result.stoppedBy instanceof AccessRefused) throw result.stoppedBy
  if (result.stoppedBy) state.reachable = false
  else if (result.sent + result.refused > 0) state.reachable = true
  render()
}

export function onSent(item: QueuedItem, answer: unknown) {
  if (item.kind === 'scan') {
    const { boarding } = answer as ScanAnswer
    const known = boardingLog.add(boarding.tripId, boarding.serviceDate, [boarding])
    if (boarding.tripId === state.selectedTripId && boarding.serviceDate === state.today?.date)
      state.boardings = known
  } else {
    const { alarm, run } = answer as EndAnswer
    if (alarm) upsertAlarm(alarm)
    // Ended now, whatever an answer asked for before the end was sent may still say.
    if (state.today && run.date === state.today.date) {
      state.today = {
        ...state.today,
        trips: state.today.trips.map((t) =>
          t.tripId === run.tripId ? { ...t, state: 'ended' as const, ended: run } : t,
        ),
      }
    }
    void loadToday().then(render)
  }
}

export function onRefused(item: QueuedItem, refusal: ApiRejected) {
  const t = text()
  const message = describeRefusal(refusal, t.refusals, t.lang)
  const who =
    item.kind === 'scan'
      ? (trips.get(item.tripId)?.pupils.find((p) => p.pupilId === item.pupilId)?.name ?? item.pupilCode ?? '')
      : t.endTrip
  const line = `${formatCixiTime(Date.parse(item.kind === 'scan' ? item.scannedAt : item.endedAt))} ${who}: ${message}`
  const earlier = state.refusals.date === item.serviceDate ? state.refusals.lines : []
  state.refusals = { date: item.serviceDate, lines: [line, ...earlier].slice(0, keptRefusals) }
  storage.setItem(keys.refused, JSON.stringify(state.refusals))
  tell(message, 'bad')
}
