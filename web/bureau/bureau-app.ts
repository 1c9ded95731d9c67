import { busStateOrder, busStates } from '../../server/core/fleet/bus-state.js'
import type { BusPosition } from '../shared/bus-live-contract.js'
import { estimateServerOffsetMs } from '../shared/cixi-time.js'
import { element, setText } from '../shared/dom.js'
import { createMessageLine, createStaffPage } from '../shared/staff-page.js'
import { signInAgainIf, goToSignIn } from '../shared/staff-session.js'
import { createViewTabs } from '../shared/view-tabs.js'
import { createBureauApi } from './bureau-api.js'
import type { AlarmCaseChange, BusEvent, FleetState } from './bureau-contract.js'
import { failureText, type BureauContext } from './bureau-context.js'
import { bureauText, kindText, type View } from './bureau-text.js'
import { createBusList } from './bus-list.js'
import { createBusPanel } from './bus-panel.js'
import { createCasePanel } from './case-panel.js'
import { connectFleetChannel } from './fleet-channel.js'
import { createFleetMap } from './fleet-map.js'
import { createInboxView } from './inbox-view.js'
import { stateMarkElement } from './state-marks.js'

/**
 * The markers move with every report the live channel brings; the states (which rest on trips,
 * ETAs, events and silence) are read again as a whole this often, and soon after a bus's event or
 * an alarm case arrives live.
 */
const fleetRefreshMs = 10_000
const soonAfterPushMs = 1_500

const views: View[] = ['fleet', 'inbox']
const page = createStaffPage({ langKey: 'staff.lang', texts: bureauText })
const tabs = createViewTabs(element('views'), views)
const tell = createMessageLine(element('message'))
const ui = {
  who: element('who'),
  live: element('live'),
  legend: element('legend'),
  detail: element('detail'),
  hint: element('detail-hint'),
  busClose: element<HTMLButtonElement>('bus-close'),
  caseClose: element<HTMLButtonElement>('case-close'),
}

function fail(error: unknown) {
  if (signInAgainIf(error)) return
  tell(failureText(error, page.text()), 'error')
}

function renderStatic() {
  page.renderStatic()
  const t = page.text()
  element('views').setAttribute('aria-label', t.viewsLabel)
  for (const view of views) setText(element(`view-name-${view}`), t.views[view])
}

function renderLegend() {
  const t = page.text()
  ui.legend.replaceChildren(
    ...[...busStates]
      .sort((a, b) => busStateOrder[a] - busStateOrder[b])
      .map((state) => {
        const entry = document.createElement('li')
        entry.dataset.state = state
        entry.title = t.stateHints[state]
        const name = document.createElement('span')
        name.textContent = t.states[state]
        entry.append(stateMarkElement(state), name)
        return entry
      }),
  )
  ui.legend.setAttribute('aria-label', t.legendTitle)
}

async function start() {
  renderStatic()
  renderLegend()
  const token = page.readSession()
  if (!token) return
  const api = createBureauApi({ token })
  const principal = await api.me()
  if (principal.role !== 'bureau' && principal.role !== 'school') return page.refuse('forbidden')
  const role = principal.role
  const { config, sentAtMs, receivedAtMs } = await api.pageConfig()
  const serverOffsetMs = estimateServerOffsetMs({ serverNow: config.now, sentAtMs, receivedAtMs })
  let fleet: FleetState | null = null
  let view: View = 'fleet'

  const map = createFleetMap(element('map'), {
    tiles: config.tiles,
    fetchRoads: api.roads,
    lang: page.lang(),
    onPick: (busId) => ctx.openBus(busId),
  })
  const showDetail = (which: 'bus' | 'case' | null) => {
    ui.hint.hidden = which !== null
    ui.detail.dataset.showing = which ?? 'none'
    // On a narrow screen the panel is below the map: bring it into view.
    if (which && window.innerWidth < 1024) ui.detail.scrollIntoView({ block: 'nearest' })
  }
  const ctx: BureauContext = {
    api,
    role,
    me: principal.sub,
    lang: page.lang,
    t: page.text,
    map,
    fleet: () => fleet,
    serverNowMs: () => Date.now() + serverOffsetMs,
    tell,
    fail,
    openBus(busId) {
      casePanel.close()
      inbox.pick(null)
      busList.pick(busId)
      map.pick(busId)
      showDetail('bus')
      busPanel.open(busId).catch(fail)
    },
    openCase(id) {
      busPanel.close()
      busList.pick(null)
      map.pick(null)
      inbox.pick(id)
      showDetail('case')
      casePanel.open(id).catch(fail)
    },
  }
  const busList = createBusList(ctx)
  const busPanel = createBusPanel(ctx)
  const inbox = createInboxView(ctx)
  const casePanel = createCasePanel(ctx, {
    changed: (alarm) => {
      inbox.take(alarm)
      refreshSoon()
    },
  })

  const showFleet = () => {
    if (!fleet) return
    const t = page.text()
    map.showBuses(
      fleet.buses.flatMap((bus) =>
        bus.position
          ? [
              {
                busId: bus.busId,
                plate: bus.plate,
                state: bus.state,
                stateName: t.states[bus.state],
                lat: bus.position.lat,
                lon: bus.position.lon,
                ts: bus.position.ts,
                openCases: bus.openCases,
              },
            ]
          : [],
      ),
    )
    map.pick(busPanel.busId)
    busList.render()
    busList.pick(busPanel.busId)
    busPanel.render()
  }

  let refreshing: Promise<void> | null = null
  const refreshFleet = () =>
    (refreshing ??= api
      .fleetState()
      .then((state) => {
        fleet = state
        showFleet()
        channel.watch(state.buses.map((bus) => bus.busId))
        element('page').dataset.fleetReadAt = state.now
      })
      .catch(fail)
      .finally(() => (refreshing = null)))
  let soonTimer: ReturnType<typeof setTimeout> | undefined
  const refreshSoon = () => {
    clearTimeout(soonTimer)
    soonTimer = setTimeout(() => void refreshFleet(), soonAfterPushMs)
  }

  const movePosition = (position: BusPosition) => {
    const bus = fleet?.buses.find((known) => known.busId === position.busId)
    if (!bus) return
    if (bus.position && bus.position.ts >= position.ts) return
    bus.position = {
      ts: position.ts,
      lat: position.lat,
      lon: position.lon,
      speedKmh: position.speedKmh ?? null,
      headingDeg: position.headingDeg ?? null,
      ignition: bus.position?.ignition ?? null,
    }
    map.moveBus(bus.busId, position)
    if (busPanel.busId === bus.busId) busPanel.render()
  }

  const renderAll = () => {
    renderStatic()
    renderLegend()
    const t = page.text()
    setText(ui.who, `${t.roles[role]} · ${principal.sub}`)
    setText(ui.live, ui.live.dataset.online === 'true' ? t.online : t.offline)
    map.setLanguage(page.lang(), t.mapLabel)
    showFleet()
    inbox.render()
    casePanel.render()
  }

  const showView = (next: View) => {
    view = next
    tabs.show(view)
    if (view === 'inbox') inbox.refresh().catch(fail)
  }
  for (const button of tabs.buttons())
    button.addEventListener('click', () => showView(button.dataset.view as View))
  ui.busClose.addEventListener('click', () => {
    busPanel.close()
    busList.pick(null)
    map.pick(null)
    showDetail(null)
  })
  ui.caseClose.addEventListener('click', () => {
    casePanel.close()
    inbox.pick(null)
    showDetail(null)
  })
  page.onLanguageChange(renderAll)

  const channel = connectFleetChannel({
    token,
    handlers: {
      online(isOnline) {
        ui.live.dataset.online = String(isOnline)
        setText(ui.live, isOnline ? page.text().online : page.text().offline)
        // Back after a break: what changed meanwhile is read again.
        if (isOnline) {
          refreshSoon()
          inbox.refresh().catch(fail)
        }
      },
      refused: goToSignIn,
      position: movePosition,
      event(event: BusEvent) {
        busPanel.addEvent(event)
        refreshSoon()
      },
      alarmCase(change: AlarmCaseChange) {
        inbox.take(change.alarm)
        void casePanel.changed(change.alarm).catch(fail)
        if (change.change === 'opened' || change.change === 'escalated') {
          const t = page.text()
          tell(t.newCase(kindText(t, change.alarm.kind), change.alarm.plate ?? change.alarm.busId))
        }
        refreshSoon()
      },
    },
  })

  document.body.dataset.role = role
  renderAll()
  showDetail(null)
  const asked = new URLSearchParams(location.search).get('tab')
  showView(asked === 'inbox' ? 'inbox' : 'fleet')
  await Promise.all([
    refreshFleet(),
    inbox.refresh(),
    role === 'bureau'
      ? Promise.all([api.alarmKinds(), api.assignees()]).then(([kinds, assignees]) => {
          inbox.setCatalogue(kinds.map((entry) => entry.kind))
          casePanel.setAssignees(assignees)
        })
      : undefined,
  ])
  setInterval(() => void refreshFleet(), fleetRefreshMs)
  element('page').dataset.ready = 'true'
}

start().catch(fail)
