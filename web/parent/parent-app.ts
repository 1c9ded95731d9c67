import { takeAccessToken } from '../shared/access-link.js'
import { AccessRefused } from '../shared/api-client.js'
import { estimateServerOffsetMs, formatCixiDate, formatCixiTime } from '../shared/cixi-time.js'
import { reconnectDelayMs } from '../shared/reconnect-backoff.js'
import { orderChildren } from './child-order.js'
import { describeEta, isReportStale, newerReportTs } from './eta-display.js'
import { connectLive } from './live-connection.js'
import {
  createNoticeLog,
  noticeFromEvent,
  noticesFromRide,
  noticesOfDay,
  type ParentNotice,
} from './notice-log.js'
import { approachChoicesMin, approachNotice, defaultApproachMin, delayedNotice } from './notice-rules.js'
import { createParentApi, type ParentApi } from './parent-api.js'
import type { BusState } from '../shared/bus-live-contract.js'
import { childStopOf, type RideResponse } from './parent-contract.js'
import { etaMessage, noticeMessage } from './parent-messages.js'
import { chooseLanguage, otherLang, type Lang } from '../shared/language.js'
import { parentText, type ErrorKind } from './parent-text.js'
import { createParentView } from './parent-view.js'
import { createRouteMap, type RouteMap } from './route-map.js'
import { initialContact, isInContact, nextContact, type ContactEvent } from './server-contact.js'

const keys = {
  token: 'parent.accessToken',
  lang: 'parent.lang',
  approachMin: 'parent.approachMin',
  pupilId: 'parent.pupilId',
  notices: 'parent.notices',
}
/** How often the ETA panel is worked out again, so that the minutes count down between reports. */
const tickMs = 5_000
/** How often the ride is asked for again: often while waiting for a trip, rarely while one runs. */
const rideRefreshMs = { waiting: 60_000, live: 300_000 }

const storage = window.localStorage
const view = createParentView()
let lang: Lang = chooseLanguage(storage.getItem(keys.lang), navigator.languages)
let approachMin = readApproachMin()
const noticeLog = createNoticeLog(storage, keys.notices)

let serverOffsetMs = 0
let api: ParentApi
let map: RouteMap | null = null
let pupilIds: string[] = []
let pupilId = ''
const pupilNames = new Map<string, string>()
let current: RideResponse | null = null
let busState: BusState | null = null
let live: { busId: string; close(): void } | null = null
let rideTimer: ReturnType<typeof setTimeout> | undefined
let rideLoading: Promise<void> | null = null
let rideLoadAgain = false
let contact = initialContact
/** Requests waiting to try again: woken at once when the live channel finds the server back. */
const waitingRetries = new Set<() => void>()
/** The live channel refused the bus once since it last sent its state. */
let busRefused = false
let stopped = false

function readApproachMin(): number {
  const saved = Number(storage.getItem(keys.approachMin))
  return (approachChoicesMin as readonly number[]).includes(saved) ? saved : defaultApproachMin
}

const text = () => parentText[lang]
const serverNowMs = () => Date.now() + serverOffsetMs

function refuse(kind: ErrorKind) {
  stopped = true
  live?.close()
  clearTimeout(rideTimer)
  view.showError(kind, text())
}

/**
 * Runs `task` until it succeeds, showing the page out of contact between tries, which back off as
 * the live channel's do; a refusal is final.
 */
async function retrying<T>(task: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await task()
      updateContact('api_ok')
      return result
    } catch (error) {
      if (error instanceof AccessRefused) throw error
      updateContact('api_down')
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer)
          waitingRetries.delete(wake)
          resolve()
        }
        const timer = setTimeout(wake, reconnectDelayMs(attempt))
        waitingRetries.add(wake)
      })
    }
  }
}

function updateContact(event: ContactEvent) {
  const wasInContact = isInContact(contact)
  contact = nextContact(contact, event)
  if (isInContact(contact) !== wasInContact) render()
}

function showConnection() {
  view.showConnection(isInContact(contact) ? null : text().offline)
}

function addNotice(notice: ParentNotice) {
  if (noticeLog.add(notice)) navigator.vibrate?.(200)
}

/** Works out everything shown from the ride, the bus's state and the clock. */
function render() {
  if (stopped) return
  showConnection()
  if (!current) return
  const t = text()
  const ride = current.ride
  view.showChildLine([current.pupil.name, current.pupil.schoolName, ride?.plate ?? ''])
  if (!ride) {
    view.showEta(
      {
        label: '',
        value: t.noRide,
        detail: current.nextRide ? t.nextRide(current.nextRide.date, current.nextRide.scheduledTime) : '',
        warn: false,
      },
      { kind: 'no_ride' },
    )
  } else if (!ride.live) {
    const childStop = childStopOf(ride)
    view.showEta(
      {
        label: t.etaTo(childStop.name),
        value: t.visibleFrom(formatCixiTime(Date.parse(ride.visibleFrom))),
        detail: t.dueAt(childStop.scheduledTime),
        warn: false,
      },
      { kind: 'not_visible_yet' },
    )
    map?.showBus(null)
  } else {
    const nowMs = serverNowMs()
    const position = busState?.position ?? null
    const eta = busState?.eta ?? null
    const etaView = describeEta({
      ride,
      eta,
      lastReportTs: newerReportTs(eta?.lastReportTs ?? null, position?.ts ?? null),
      serverNowMs: nowMs,
      inContact: isInContact(contact),
    })
    map?.showBus(position && !isReportStale(position.ts, nowMs) ? position : null, eta?.progressM ?? null)
    const childStop = childStopOf(ride)
    view.showEta(etaMessage(etaView, t, childStop), {
      kind: etaView.kind,
      minutes: etaView.kind === 'minutes' ? etaView.minutes : undefined,
      remainingS: etaView.kind === 'minutes' || etaView.kind === 'arriving' ? etaView.remainingS : undefined,
    })
    const ruleInput = {
      view: etaView,
      date: ride.date,
      tripId: ride.tripId,
      pupilId,
      stopName: childStop.name,
      at: new Date(nowMs).toISOString(),
      alreadyFired: noticeLog.has,
    }
    for (const notice of [
      approachNotice({ ...ruleInput, thresholdMin: approachMin }),
      delayedNotice(ruleInput),
    ]) {
      if (notice) addNotice(notice)
    }
  }
  view.showNotices(noticesOfDay(noticeLog.list(), formatCixiDate(serverNowMs())), t, (notice) =>
    noticeMessage(notice, t, {
      childName: (id) => pupilNames.get(id) ?? id,
      plateOf: (busId) => (ride?.busId === busId ? ride.plate : busId),
    }),
  )
}

/**
 * Asks for the child's ride again. One load at a time: a request made meanwhile (a change of bus,
 * the end of the trip) runs once more after it, so that two loads never follow two buses.
 */
function reloadRide(): Promise<void> {
  if (rideLoading) {
    rideLoadAgain = true
    return rideLoading
  }
  rideLoading = (async () => {
    do {
      rideLoadAgain = false
      await loadRide()
    } while (rideLoadAgain && !stopped)
  })().finally(() => (rideLoading = null))
  return rideLoading
}

/** The child's ride, and its bus followed while the ride is live. */
async function loadRide() {
  clearTimeout(rideTimer)
  const response = await retrying(() => api.ride(pupilId))
  if (stopped) return
  pupilNames.set(response.pupil.id, response.pupil.name)
  showChildren()
  current = response
  // The child's scans and the changes of bus as the server has them: a phone opened after them,
  // or another guardian's, shows them too; one heard live as well is the same notice.
  for (const notice of noticesFromRide(response)) noticeLog.add(notice)
  map?.showRide(response.ride, text())
  const busId = response.ride?.live ? response.ride.busId : null
  if (busId !== (live?.busId ?? null)) await follow(busId)
  render()
  rideTimer = setTimeout(
    () => void reloadRide().catch(fail),
    response.ride?.live ? rideRefreshMs.live : rideRefreshMs.waiting,
  )
}

async function follow(busId: string | null) {
  live?.close()
  live = null
  busState = null
  if (!busId) return updateContact('channel_unused')
  updateContact('channel_opening')
  // The first picture comes over plain HTTP, which is quicker than the socket's handshake on a slow
  // connection; the live channel then keeps it current.
  busState = ofThisTrip(await retrying(() => api.busState(busId)))
  if (stopped) return
  updateContact('bus_data')
  const connection = connectLive({
    token: api.token,
    busId,
    handlers: {
      state: (state) => {
        busRefused = false
        busState = ofThisTrip(state)
        updateContact('bus_data')
        render()
      },
      position: (position) => {
        updateContact('bus_data')
        const known = busState?.position
        if (known && Date.parse(known.ts) >= Date.parse(position.ts)) return
        busState = { busId, eta: busState?.eta ?? null, position }
        render()
      },
      eta: (update) => {
        updateContact('bus_data')
        const hadEta = Boolean(busState?.eta)
        if (update.tripId !== null && update.tripId !== current?.ride?.tripId) return
        busState = { busId, position: busState?.position ?? null, eta: update.eta }
        // The bus runs no trip any more: the ride says what comes next.
        if (update.tripId === null && hadEta) void reloadRide().catch(fail)
        else render()
      },
      notice: (event) => {
        addNotice(noticeFromEvent(event))
        if (event.kind === 'bus_changed') void reloadRide().catch(fail)
        else render()
      },
      unsubscribed: () => void reloadRide().catch(fail),
      online: (isOnline) => {
        const wasDown = contact.channel === 'down'
        updateContact(isOnline ? 'channel_up' : 'channel_down')
        if (isOnline && wasDown) catchUp()
        render()
      },
      refused: (kind) => (kind === 'forbidden' ? onBusRefused() : refuse(kind)),
    },
  })
  live = { busId, close: connection.close }
}

/**
 * Back in touch after losing the server: requests waiting to try again go now, and the ride is
 * asked for again, with the scans made meanwhile; the subscription brings the bus's state.
 */
function catchUp() {
  for (const wake of [...waitingRetries]) wake()
  void reloadRide().catch(fail)
}

/**
 * The live channel no longer lets this page watch the bus: most often the trip has just ended
 * while the phone was reconnecting. The ride says what to show; refused again, the page says so.
 */
function onBusRefused() {
  if (busRefused) return refuse('forbidden')
  busRefused = true
  void follow(null).then(reloadRide).catch(fail)
}

/** The bus's state without an ETA that belongs to another of its trips. */
function ofThisTrip(state: BusState): BusState {
  const tripId = current?.ride?.tripId
  return state.tripId && state.tripId !== tripId ? { ...state, eta: null } : state
}

function fail(error: unknown) {
  if (error instanceof AccessRefused) refuse(error.kind)
  else throw error
}

function wireControls() {
  view.language.addEventListener('click', () => {
    lang = otherLang(lang)
    storage.setItem(keys.lang, lang)
    view.showLanguage(text(), approachMin)
    map?.showRide(current?.ride ?? null, text())
    render()
  })
  view.notifyMinutes.addEventListener('change', () => {
    approachMin = Number(view.notifyMinutes.value)
    storage.setItem(keys.approachMin, String(approachMin))
    render()
  })
  view.childSelect.addEventListener('change', () => {
    pupilId = view.childSelect.value
    storage.setItem(keys.pupilId, pupilId)
    void follow(null).then(reloadRide).catch(fail)
  })
}

async function start() {
  view.showLanguage(text(), approachMin)
  const { token, params } = takeAccessToken({ location, history, storage }, { storageKey: keys.token })
  const linkedPupilId = params.get('pupil')?.trim() || null
  if (!token) return refuse('no_token')
  api = createParentApi({ token })

  const { config, sentAtMs, receivedAtMs } = await retrying(() => api.pageConfig())
  serverOffsetMs = estimateServerOffsetMs({ serverNow: config.now, sentAtMs, receivedAtMs })
  const { principal } = await retrying(() => api.me())
  if (principal.role !== 'parent' || !principal.pupilIds?.length) return refuse('not_parent')
  map = createRouteMap(view.map, { tiles: config.tiles, fetchRoads: api.roads, text: text() })
  const first = await chooseChild(principal.pupilIds)
  // A child named in the link is asked for even if not this parent's: the server refuses it.
  pupilId = linkedPupilId ?? first
  wireControls()
  await reloadRide()
  setInterval(render, tickMs)
}

/**
 * Orders the children for the picker by each one's ride, and gives the one to show first: a
 * child on a bus running now before the one chosen last time.
 */
async function chooseChild(ids: string[]): Promise<string> {
  const rides = await Promise.all(
    ids.map(async (id) => {
      // Only to order the picker: a child whose ride cannot be read goes last, by its id.
      const response = await retrying(() => api.ride(id)).catch((error: unknown) => {
        if (error instanceof AccessRefused && error.kind === 'unauthenticated') throw error
        return null
      })
      if (response) pupilNames.set(id, response.pupil.name)
      return { pupilId: id, ride: response?.ride ?? null }
    }),
  )
  pupilIds = orderChildren(rides, storage.getItem(keys.pupilId))
  return pupilIds[0]!
}

function showChildren() {
  view.showChildren(
    pupilIds.map((id) => ({ id, name: pupilNames.get(id) ?? id })),
    pupilId,
  )
}

start().catch(fail)
