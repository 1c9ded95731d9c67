import { takeAccessToken } from '../shared/access-link.js'
import { connectBusChannel } from '../shared/bus-channel.js'
import { busStateSchema, etaEventSchema } from '../shared/bus-live-contract.js'
import { estimateServerOffsetMs } from '../shared/cixi-time.js'
import { upsertAlarm } from './attendant-alarms.js'
import { createAttendantApi } from './attendant-api.js'
import { alarmSchema, boardingEventSchema, leftOnBusKind } from './attendant-contract.js'
import { wireControls } from './attendant-controls.js'
import { fail, refuse, render } from './attendant-render.js'
import { io, keys, reach, state, storage, text, view } from './attendant-state.js'
import { loadBoardings, onRefused, onSent, refresh } from './attendant-sync.js'
import { createQueueSender } from './queue-sender.js'
import { openQueueStore } from './scan-queue.js'

/** How often the page asks the server what the bus's other phone recorded, and sends what it holds. */
const refreshMs = 15_000
const retryStartMs = 5_000

function connectLive() {
  let boardingTimer: ReturnType<typeof setTimeout> | undefined
  connectBusChannel({
    token: io.api.token,
    busId: state.busId,
    handlers: {
      online: (isOnline) => {
        state.liveUp = isOnline
        // Back: what happened meanwhile (scans by the other phone, alarms, the trips) is asked for
        // again, and the subscription brings the bus's ETA.
        if (isOnline) void refresh().catch(fail)
        render()
      },
      refused: (kind) => refuse(kind),
    },
    listen: (on) => {
      on('state', busStateSchema, (update) => {
        state.liveEta = { tripId: update.tripId ?? null, eta: update.eta }
        render()
      })
      on('eta', etaEventSchema, (update) => {
        state.liveEta = { tripId: update.tripId, eta: update.eta }
        render()
      })
      on('event', alarmSchema, (event) => {
        if (event.kind !== leftOnBusKind || event.busId !== state.busId) return
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
      while (state.refreshing) await state.refreshing.catch(() => undefined)
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
    const answer = await reach(() => io.api.me())
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
  io.api = createAttendantApi({ token })
  io.queue = await openQueueStore()
  state.queued = await io.queue.all()
  io.sender = createQueueSender({
    store: io.queue,
    send: (item) => (item.kind === 'scan' ? io.api.sendScan(item) : io.api.endTrip(item)),
    onSent,
    onRefused,
  })
  const config = await reach(() => io.api.pageConfig())
  if (config) {
    const { sentAtMs, receivedAtMs } = config
    state.serverOffsetMs = estimateServerOffsetMs({ serverNow: config.config.now, sentAtMs, receivedAtMs })
    storage.setItem(keys.serverOffsetMs, String(state.serverOffsetMs))
  }
  const ownBus = await whoAmI()
  if (!ownBus) return refuse('not_attendant')
  state.busId = ownBus
  wireControls()
  await refresh()
  connectLive()
  registerServiceWorker()
  setInterval(() => void refresh().catch(fail), refreshMs)
}

start().catch(fail)
