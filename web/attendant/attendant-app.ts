import { takeAccessToken } from '../shared/access-link.js'
import { AccessRefused, ApiRejected } from '../shared/api-client.js'
import { connectBusChannel } from '../shared/bus-channel.js'
import { busStateSchema, etaEventSchema, type TripEta } from '../shared/bus-live-contract.js'
import { estimateServerOffsetMs, formatCixiTime } from '../shared/cixi-time.js'
import { chooseLanguage, otherLang, type Lang } from '../shared/language.js'
import { describeRefusal } from '../shared/refusal-text.js'
import { createAttendantApi, type AttendantApi } from './attendant-api.js'
import {
  alarmSchema,
  boardingEventSchema,
  leftOnBusKind,
  type Alarm,
  type Boarding,
  type Direction,
  type EndAnswer,
  type RosterPupil,
  type ScanAction,
  type ScanAnswer,
  type Today,
  type TodayTrip,
  type TripStop,
} from './attendant-contract.js'
import { attendantText, type ErrorKind } from './attendant-text.js'
import { createAttendantView, type Tone } from './attendant-view.js'
import { createBoardingLog } from './boarding-log.js'
import { startCameraScanner } from './camera-scanner.js'
import { findCurrentStop, stepStop } from './current-stop.js'
import { readPupilCode } from './pupil-code-input.js'
import { createQueueSender } from './queue-sender.js'
import { newItemId, openQueueStore, type QueuedItem, type QueueStore, type ScanItem } from './scan-queue.js'
import { buildRosterView, type RosterView } from './trip-roster.js'

const keys = {
  token: 'attendant.accessToken',
  lang: 'attendant.lang',
  busId: 'attendant.busId',
  serverOffsetMs: 'attendant.serverOffsetMs',
  refused: 'attendant.refused',
  chosenStop: 'attendant.chosenStop',
}
/** How often the page asks the server what the bus's other phone recorded, and sends what it holds. */
const refreshMs = 15_000
const retryStartMs = 5_000
/** The camera sees a card in many frames: the same code seen again within this is the same scan. */
const sameCardMs = 5_000
const keptRefusals = 20

interface TripData {
  direction: Direction
  stops: TripStop[]
  pupils: RosterPupil[]
}

const storage = window.localStorage
const view = createAttendantView()
const boardingLog = createBoardingLog(storage)
let lang: Lang = chooseLanguage(storage.getItem(keys.lang), navigator.languages)
let api: AttendantApi
let queue: QueueStore
let sender: ReturnType<typeof createQueueSender>
let serverOffsetMs = Number(storage.getItem(keys.serverOffsetMs)) || 0
let busId = ''
let today: Today | null = null
let selectedTripId: string | null = null
const trips = new Map<string, TripData>()
let boardings: Boarding[] = []
let queued: QueuedItem[] = []
let alarms: Alarm[] = []
let liveEta: { tripId: string | null; eta: TripEta | null } = { tripId: null, eta: null }
let chosenSeq: number | null = null
let reachable = true
/** The live channel: null until it has first answered, then whether it is connected. */
let liveUp: boolean | null = null
let stopped = false
/** The day's refused scans, newest first, each with its time, whom it named and why. */
let refusals: { date: string; lines: string[] } = readRefusals()
let camera: { stop(): void } | null = null
let lastCard = { code: '', atMs: 0 }

const text = () => attendantText[lang]
const serverNowMs = () => Date.now() + serverOffsetMs
const selectedTrip = (): TodayTrip | null => today?.trips.find((t) => t.tripId === selectedTripId) ?? null
const alarmKey = (alarm: Pick<Alarm, 'busId' | 'kind' | 'ts'>) =>
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

function chooseStop(seq: number) {
  chosenSeq = seq
  storage.setItem(keys.chosenStop, JSON.stringify({ tripId: selectedTripId, date: today?.date, seq }))
}

function refuse(kind: ErrorKind) {
  stopped = true
  camera?.stop()
  view.showError(kind, text())
}

function fail(error: unknown) {
  if (error instanceof AccessRefused) refuse(error.kind)
  else console.error(error)
}

/** Runs a request; a failure of the network marks the page offline instead of stopping it. */
async function reach<T>(task: () => Promise<T>): Promise<T | null> {
  try {
    const result = await task()
    reachable = true
    return result
  } catch (error) {
    if (error instanceof AccessRefused) throw error
    if (!(error instanceof ApiRejected)) reachable = false
    return null
  }
}

// --- what is shown --------------------------------------------------------------------------

function currentStop(trip: TripData) {
  return findCurrentStop({
    stops: trip.stops,
    chosenSeq,
    eta: liveEta.tripId === selectedTripId ? liveEta.eta : null,
    serviceDate: today?.date ?? '',
    serverNowMs: serverNowMs(),
  })
}

function rosterView(): { trip: TripData; roster: RosterView; stop: ReturnType<typeof currentStop> } | null {
  const trip = selectedTripId ? trips.get(selectedTripId) : undefined
  if (!trip || !today) return null
  const stop = currentStop(trip)
  const pending = queued.filter(
    (item): item is QueuedItem & ScanItem =>
      item.kind === 'scan' && item.tripId === selectedTripId && item.serviceDate === today!.date,
  )
  return { trip, stop, roster: buildRosterView({ ...trip, boardings, pending, currentSeq: stop.seq }) }
}

function render() {
  if (stopped) return
  const t = text()
  view.showBus([today?.plate ?? '', today?.date ?? ''])
  showConnection()
  view.showTrips(today?.trips ?? [], selectedTripId, t)
  view.showAlarms(alarms, t, alarmKey)
  view.showRefused(refusals.date === today?.date ? refusals.lines : [])
  const trip = selectedTrip()
  view.showEnd(
    trip,
    queued.some((i) => i.kind === 'end' && i.tripId === selectedTripId),
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
  const waiting = queued.length
  const apiUp = navigator.onLine && reachable
  const lost = !apiUp ? t.offline : liveUp === false ? t.liveLost : null
  const state = lost ? 'offline' : waiting > 0 ? 'waiting' : 'online'
  const message = [lost, waiting > 0 ? t.waitingToSend(waiting) : null].filter(Boolean).join(' · ')
  view.showConnection(state, message || t.online, waiting)
}

function tell(message: string, tone: Tone) {
  view.showResult(message, tone)
  if (tone !== 'good') navigator.vibrate?.(tone === 'bad' ? [200, 100, 200] : 200)
}

// --- loading --------------------------------------------------------------------------------

async function loadToday() {
  const answer = await reach(() => api.today(busId))
  if (!answer) return
  today = answer
  const ids = answer.trips.map((t) => t.tripId)
  if (!selectedTripId || !ids.includes(selectedTripId)) {
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
  const [detail, roster] = await Promise.all([reach(() => api.trip(tripId)), reach(() => api.roster(tripId))])
  if (detail && roster)
    trips.set(tripId, { direction: detail.trip.direction, stops: detail.stops, pupils: roster.pupils })
}

async function loadBoardings() {
  const tripId = selectedTripId
  if (!tripId || !today) return
  const date = today.date
  const answer = await reach(() => api.boardings(tripId, date))
  if (answer && tripId === selectedTripId) boardings = boardingLog.add(tripId, date, answer.boardings)
}

async function loadAlarms() {
  const answer = await reach(() => api.leftOnBusAlarms())
  if (!answer) return
  alarms = []
  for (const alarm of answer.events) if (alarm.busId === busId) upsertAlarm(alarm)
}

function upsertAlarm(alarm: Alarm) {
  const key = alarmKey(alarm)
  alarms = [alarm, ...alarms.filter((a) => alarmKey(a) !== key)].sort(
    (a, b) => Date.parse(b.ts) - Date.parse(a.ts),
  )
}

let refreshing: Promise<void> | null = null
/** Everything again from the server, after sending what this phone holds. */
function refresh(options: { tripAgain?: boolean } = {}): Promise<void> {
  refreshing ??= (async () => {
    await flush()
    await loadToday()
    if (selectedTripId) await loadTrip(selectedTripId, options.tripAgain)
    await Promise.all([loadBoardings(), loadAlarms()])
    render()
  })().finally(() => (refreshing = null))
  return refreshing
}

function selectTrip(tripId: string | null) {
  if (tripId === selectedTripId) return
  selectedTripId = tripId
  chosenSeq = tripId && today ? readChosenStop(tripId, today.date) : null
  boardings = tripId && today ? boardingLog.read(tripId, today.date) : []
}

// --- scans and the queue --------------------------------------------------------------------

async function flush() {
  const result = await sender.flush()
  queued = await queue.all()
  if (result.stoppedBy instanceof AccessRefused) throw result.stoppedBy
  if (result.stoppedBy) reachable = false
  else if (result.sent + result.refused > 0) reachable = true
  render()
}

function onSent(item: QueuedItem, answer: unknown) {
  if (item.kind === 'scan') {
    const { boarding } = answer as ScanAnswer
    const known = boardingLog.add(boarding.tripId, boarding.serviceDate, [boarding])
    if (boarding.tripId === selectedTripId && boarding.serviceDate === today?.date) boardings = known
  } else {
    const { alarm, run } = answer as EndAnswer
    if (alarm) upsertAlarm(alarm)
    // Ended now, whatever an answer asked for before the end was sent may still say.
    if (today && run.date === today.date) {
      today = {
        ...today,
        trips: today.trips.map((t) =>
          t.tripId === run.tripId ? { ...t, state: 'ended' as const, ended: run } : t,
        ),
      }
    }
    void loadToday().then(render)
  }
}

function onRefused(item: QueuedItem, refusal: ApiRejected) {
  const t = text()
  const message = describeRefusal(refusal, t.refusals, t.lang)
  const who =
    item.kind === 'scan'
      ? (trips.get(item.tripId)?.pupils.find((p) => p.pupilId === item.pupilId)?.name ?? item.pupilCode ?? '')
      : t.endTrip
  const line = `${formatCixiTime(Date.parse(item.kind === 'scan' ? item.scannedAt : item.endedAt))} ${who}: ${message}`
  const earlier = refusals.date === item.serviceDate ? refusals.lines : []
  refusals = { date: item.serviceDate, lines: [line, ...earlier].slice(0, keptRefusals) }
  storage.setItem(keys.refused, JSON.stringify(refusals))
  tell(message, 'bad')
}

/** Records a scan on the phone first, shows it at once, then sends it if there is a connection. */
async function record(target: { pupil: RosterPupil } | { code: string }, action: ScanAction) {
  const trip = selectedTripId ? trips.get(selectedTripId) : undefined
  if (!trip || !today || !selectedTripId) return
  const t = text()
  const stop = trip.stops.find((s) => s.seq === currentStop(trip).seq)
  const scan: ScanItem = {
    kind: 'scan',
    id: newItemId(),
    tripId: selectedTripId,
    serviceDate: today.date,
    ...('pupil' in target ? { pupilId: target.pupil.pupilId } : { pupilCode: target.code }),
    action,
    stopId: stop?.stopId ?? null,
    scannedAt: new Date(serverNowMs()).toISOString(),
  }
  queued = [...queued, await queue.add(scan)]
  let said: [string, Tone]
  if ('pupil' in target) {
    const ownSeq = action === 'boarded' ? target.pupil.boardSeq : target.pupil.alightSeq
    const own = trip.stops.find((s) => s.seq === ownSeq)
    said =
      stop && own && own.seq !== stop.seq
        ? [t.wrongStop(target.pupil.name, own.name), 'warn']
        : [t.recorded(target.pupil.name, action), 'good']
  } else said = [t.notOnBus(target.code), 'bad']
  tell(...said)
  render()
  await flush()
  if (queued.some((item) => item.id === scan.id)) tell(`${said[0]} · ${t.savedOffline}`, said[1])
}

/** A code typed or read by the camera: its pupil's next step, or a code this bus does not carry. */
function scanCode(raw: string) {
  const trip = selectedTripId ? trips.get(selectedTripId) : undefined
  if (!trip) return
  const code = readPupilCode(raw)
  if (!code) return tell(text().invalidCode, 'bad')
  const pupil = trip.pupils.find((p) => p.code === code)
  if (!pupil) return void record({ code }, 'boarded').catch(fail)
  const row = rosterView()
    ?.roster.groups.flatMap((g) => g.rows)
    .find((r) => r.pupil.pupilId === pupil.pupilId)
  void record({ pupil }, row?.nextAction ?? 'boarded').catch(fail)
}

function onCameraRead(raw: string) {
  const nowMs = Date.now()
  const sameCard = raw === lastCard.code && nowMs - lastCard.atMs < sameCardMs
  lastCard = { code: raw, atMs: nowMs }
  // A card held in front of the camera is one scan, however long it stays there.
  if (sameCard) return
  navigator.vibrate?.(60)
  scanCode(raw)
}

async function openCamera() {
  view.showCamera(true)
  const decoderUrl = document.querySelector<HTMLMetaElement>('meta[name="qr-decoder"]')?.content ?? ''
  try {
    camera = await startCameraScanner({ video: view.cameraVideo, decoderUrl, onRead: onCameraRead })
  } catch {
    view.showCamera(false)
    tell(text().cameraUnavailable, 'warn')
  }
}

function closeCamera() {
  camera?.stop()
  camera = null
  view.showCamera(false)
}

async function endTrip() {
  if (!selectedTripId || !today || !view.confirmEmpty.checked) return
  const end = {
    kind: 'end' as const,
    id: newItemId(),
    tripId: selectedTripId,
    serviceDate: today.date,
    endedAt: new Date(serverNowMs()).toISOString(),
  }
  queued = [...queued, await queue.add(end)]
  view.closeEndDialog()
  render()
  await flush()
}

async function acknowledge(key: string) {
  const alarm = alarms.find((a) => alarmKey(a) === key)
  if (!alarm) return
  try {
    upsertAlarm((await api.acknowledge(alarm)).event)
  } catch (error) {
    if (error instanceof ApiRejected) tell(describeRefusal(error, text().refusals, text().lang), 'bad')
    else if (error instanceof AccessRefused) throw error
    else tell(text().needsConnection, 'warn')
  }
  render()
}

// --- wiring ---------------------------------------------------------------------------------

function pupilOf(id: string | undefined): RosterPupil | undefined {
  return selectedTripId ? trips.get(selectedTripId)?.pupils.find((p) => p.pupilId === id) : undefined
}

function actOn(event: Event) {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-pupil-id]')
  const pupil = pupilOf(button?.dataset.pupilId)
  if (button && pupil) void record({ pupil }, button.dataset.action as ScanAction).catch(fail)
}

function wireControls() {
  view.language.addEventListener('click', () => {
    lang = otherLang(lang)
    storage.setItem(keys.lang, lang)
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
      const trip = selectedTripId ? trips.get(selectedTripId) : undefined
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

function connectLive() {
  let boardingTimer: ReturnType<typeof setTimeout> | undefined
  connectBusChannel({
    token: api.token,
    busId,
    handlers: {
      online: (isOnline) => {
        liveUp = isOnline
        // Back: what happened meanwhile (scans by the other phone, alarms, the trips) is asked for
        // again, and the subscription brings the bus's ETA.
        if (isOnline) void refresh().catch(fail)
        render()
      },
      refused: (kind) => refuse(kind),
    },
    listen: (on) => {
      on('state', busStateSchema, (state) => {
        liveEta = { tripId: state.tripId ?? null, eta: state.eta }
        render()
      })
      on('eta', etaEventSchema, (update) => {
        liveEta = { tripId: update.tripId, eta: update.eta }
        render()
      })
      on('event', alarmSchema, (event) => {
        if (event.kind !== leftOnBusKind || event.busId !== busId) return
        upsertAlarm(event)
        if (!event.acknowledgedAt) navigator.vibrate?.([400, 200, 400])
        render()
      })
      // Another phone of the bus recorded a scan: look again, once for a burst of them.
      on('boarding', boardingEventSchema, () => {
        clearTimeout(boardingTimer)
        boardingTimer = setTimeout(() => void loadBoardings().then(render).catch(fail), 300)
      })
    },
  })
}

/**
 * The service worker keeps the page for use with no signal. The first time, it takes over the
 * open page once installed; asking everything again then leaves the answers in its keeping.
 */
function registerServiceWorker() {
  const workers = navigator.serviceWorker
  if (!workers) return
  const ready = () => (document.documentElement.dataset.offlineReady = 'true')
  if (workers.controller) ready()
  else {
    const takeOver = async () => {
      // A round begun before the worker took over went past it: wait for it, then ask again.
      while (refreshing) await refreshing.catch(() => undefined)
      await refresh({ tripAgain: true })
      ready()
    }
    workers.addEventListener('controllerchange', () => void takeOver().catch(fail), { once: true })
  }
  workers.register('/attendant/sw.js', { scope: '/attendant/' }).catch((error: unknown) => {
    console.warn('the page will not open offline:', error)
  })
}

async function whoAmI(): Promise<string | null> {
  for (;;) {
    const answer = await reach(() => api.me())
    if (answer) {
      if (answer.principal.role !== 'attendant' || !answer.principal.busId) return null
      storage.setItem(keys.busId, answer.principal.busId)
      return answer.principal.busId
    }
    // With no connection and nothing kept, the bus this phone last served.
    const saved = storage.getItem(keys.busId)
    if (saved) return saved
    render()
    await new Promise((resolve) => setTimeout(resolve, retryStartMs))
  }
}

async function start() {
  view.showLanguage(text())
  const { token } = takeAccessToken({ location, history, storage }, { storageKey: keys.token })
  if (!token) return refuse('no_token')
  api = createAttendantApi({ token })
  queue = await openQueueStore()
  queued = await queue.all()
  sender = createQueueSender({
    store: queue,
    send: (item) => (item.kind === 'scan' ? api.sendScan(item) : api.endTrip(item)),
    onSent,
    onRefused,
  })
  const config = await reach(() => api.pageConfig())
  if (config) {
    const { sentAtMs, receivedAtMs } = config
    serverOffsetMs = estimateServerOffsetMs({ serverNow: config.config.now, sentAtMs, receivedAtMs })
    storage.setItem(keys.serverOffsetMs, String(serverOffsetMs))
  }
  const ownBus = await whoAmI()
  if (!ownBus) return refuse('not_attendant')
  busId = ownBus
  wireControls()
  await refresh()
  connectLive()
  registerServiceWorker()
  setInterval(() => void refresh().catch(fail), refreshMs)
}

start().catch(fail)
