import { AccessRefused, ApiRejected } from '../shared/api-client.js'
import type { TripEta } from '../shared/bus-live-contract.js'
import { chooseLanguage, type Lang } from '../shared/language.js'
import type { AttendantApi } from './attendant-api.js'
import type {
  Alarm,
  Boarding,
  Direction,
  RosterPupil,
  Today,
  TodayTrip,
  TripStop,
} from './attendant-contract.js'
import { attendantText } from './attendant-text.js'
import { createAttendantView } from './attendant-view.js'
import { createBoardingLog } from './boarding-log.js'
import { findCurrentStop } from './current-stop.js'
import type { createQueueSender } from './queue-sender.js'
import type { QueuedItem, QueueStore, ScanItem } from './scan-queue.js'
import { buildRosterView, type RosterView } from './trip-roster.js'

export const keys = {
  token: 'attendant.accessToken',
  lang: 'attendant.lang',
  busId: 'attendant.busId',
  serverOffsetMs: 'attendant.serverOffsetMs',
  refused: 'attendant.refused',
  chosenStop: 'attendant.chosenStop',
}

export interface TripData {
  direction: Direction
  stops: TripStop[]
  pupils: RosterPupil[]
}

export interface AttendantState {
  lang: Lang
  serverOffsetMs: number
  busId: string
  today: Today | null
  selectedTripId: string | null
  boardings: Boarding[]
  queued: QueuedItem[]
  alarms: Alarm[]
  liveEta: { tripId: string | null; eta: TripEta | null }
  chosenSeq: number | null
  reachable: boolean
  /** The live channel: null until it has first answered, then whether it is connected. */
  liveUp: boolean | null
  stopped: boolean
  /** The day's refused scans, newest first, each with its time, whom it named and why. */
  refusals: { date: string; lines: string[] }
  camera: { stop(): void } | null
  /** The round of refresh() under way, which every caller of refresh() shares. */
  refreshing: Promise<void> | null
}

export const storage = window.localStorage
export const view = createAttendantView()
export const boardingLog = createBoardingLog(storage)
export const trips = new Map<string, TripData>()
export const state: AttendantState = {
  lang: chooseLanguage(storage.getItem(keys.lang), navigator.languages),
  serverOffsetMs: Number(storage.getItem(keys.serverOffsetMs)) || 0,
  busId: '',
  today: null,
  selectedTripId: null,
  boardings: [],
  queued: [],
  alarms: [],
  liveEta: { tripId: null, eta: null },
  chosenSeq: null,
  reachable: true,
  liveUp: null,
  stopped: false,
  refusals: readRefusals(),
  camera: null,
  refreshing: null,
}
/** The server's API, the phone's queue and its sender, opened by start() before anything uses them. */
export const io = {} as {
  api: AttendantApi
  queue: QueueStore
  sender: ReturnType<typeof createQueueSender>
}

export const text = () => attendantText[state.lang]
export const serverNowMs = () => Date.now() + state.serverOffsetMs
export const selectedTrip = (): TodayTrip | null =>
  state.today?.trips.find((t) => t.tripId === state.selectedTripId) ?? null
export const alarmKey = (alarm: Pick<Alarm, 'busId' | 'kind' | 'ts'>) =>
  `${alarm.busId}|${alarm.kind}|${Date.parse(alarm.ts)}`

function readRefusals(): { date: string; lines: string[] } {
  try {
    const saved = JSON.parse(storage.getItem(keys.refused) ?? 'null') as { date?: unknown; lines?: unknown }
    if (typeof saved?.date === 'string' && Array.isArray(saved.lines))
      return { date: saved.date, lines: saved.lines.filter((l): l is string => typeof l === 'string') }
  } catch {
    // Unreadable: start the day's list afresh.
  }
  return { date: '', lines: [] }
}

/** The stop the attendant set for a trip today, kept across a reload. */
function readChosenStop(tripId: string, date: string): number | null {
  try {
    const saved = JSON.parse(storage.getItem(keys.chosenStop) ?? 'null') as {
      tripId?: string
      date?: string
      seq?: number
    } | null
    return saved?.tripId === tripId && saved.date === date && typeof saved.seq === 'number' ? saved.seq : null
  } catch {
    return null
  }
}

export function chooseStop(seq: number) {
  state.chosenSeq = seq
  storage.setItem(
    keys.chosenStop,
    JSON.stringify({ tripId: state.selectedTripId, date: state.today?.date, seq }),
  )
}

export function selectTrip(tripId: string | null) {
  if (tripId === state.selectedTripId) return
  state.selectedTripId = tripId
  state.chosenSeq = tripId && state.today ? readChosenStop(tripId, state.today.date) : null
  state.boardings = tripId && state.today ? boardingLog.read(tripId, state.today.date) : []
}

/** Runs a request; a failure of the network marks the page offline instead of stopping it. */
export async function reach<T>(task: () => Promise<T>): Promise<T | null> {
  try {
    const result = await task()
    state.reachable = true
    return result
  } catch (error) {
    if (error instanceof AccessRefused) throw error
    if (!(error instanceof ApiRejected)) state.reachable = false
    return null
  }
}

export function currentStop(trip: TripData) {
  return findCurrentStop({
    stops: trip.stops,
    chosenSeq: state.chosenSeq,
    eta: state.liveEta.tripId === state.selectedTripId ? state.liveEta.eta : null,
    serviceDate: state.today?.date ?? '',
    serverNowMs: serverNowMs(),
  })
}

export function rosterView(): {
  trip: TripData
  roster: RosterView
  stop: ReturnType<typeof currentStop>
} | null {
  const trip = state.selectedTripId ? trips.get(state.selectedTripId) : undefined
  if (!trip || !state.today) return null
  const stop = currentStop(trip)
  const pending = state.queued.filter(
    (item): item is QueuedItem & ScanItem =>
      item.kind === 'scan' && item.tripId === state.selectedTripId && item.serviceDate === state.today!.date,
  )
  return {
    trip,
    stop,
    roster: buildRosterView({ ...trip, boardings: state.boardings, pending, currentSeq: stop.seq }),
  }
}
