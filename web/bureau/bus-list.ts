import { busStateOrder, busStates, type BusState } from '../../server/core/fleet/bus-state.js'
import { element, setText } from '../shared/dom.js'
import type { FleetBus } from './bureau-contract.js'
import { placeName, type BureauContext } from './bureau-context.js'
import { filterFleet, noFleetFilter, type FleetFilter } from './fleet-filters.js'
import { stateMarkElement } from './state-marks.js'

function option(value: string, label: string) {
  const node = document.createElement('option')
  node.value = value
  node.textContent = label
  return node
}

/** Fills a select with its choices, keeping what was chosen if it is still among them. */
function fillSelect(select: HTMLSelectElement, choices: HTMLOptionElement[]) {
  const chosen = select.value
  select.replaceChildren(...choices)
  if (choices.some((choice) => choice.value === chosen)) select.value = chosen
}

/**
 * The fleet tab: the filters (town, school, state), the count of each state among the buses the
 * town and school leave, and the list of buses, those to look at first on top. A click on a bus
 * opens it, as a click on its marker does.
 */
export function createBusList(ctx: BureauContext) {
  const ui = {
    town: element<HTMLSelectElement>('filter-town'),
    school: element<HTMLSelectElement>('filter-school'),
    state: element<HTMLSelectElement>('filter-state'),
    count: element('bus-count'),
    counts: element('state-counts'),
    list: element('bus-list'),
  }
  let filter: FleetFilter = noFleetFilter
  let picked: string | null = null

  const readFilter = (): FleetFilter => ({
    townId: ui.town.value || null,
    schoolId: ui.school.value || null,
    state: (ui.state.value || null) as BusState | null,
  })
  for (const select of [ui.town, ui.school, ui.state])
    select.addEventListener('change', () => {
      filter = readFilter()
      render()
    })

  const rowOf = (bus: FleetBus) => {
    const t = ctx.t()
    const button = document.createElement('button')
    button.type = 'button'
    button.className = 'bus-row'
    button.dataset.busId = bus.busId
    button.dataset.state = bus.state
    button.setAttribute('aria-pressed', String(bus.busId === picked))
    const plate = document.createElement('span')
    plate.className = 'bus-plate'
    plate.textContent = bus.plate
    const state = document.createElement('span')
    state.className = 'bus-state'
    state.textContent = t.states[bus.state]
    const line = document.createElement('span')
    line.className = 'bus-line'
    const next = bus.trip?.nextCall
    const parts = [
      bus.trip
        ? `${t.directions[bus.trip.direction]} · ${next ? placeName({ nameZh: next.nameZh, nameEn: next.nameEn }, ctx.lang(), next.stopId) : t.lastCall}`
        : t.noTrip,
      t.kmh(bus.position?.speedKmh ?? null),
    ]
    if (bus.trip) parts.push(t.lateness(bus.trip.lateS))
    line.textContent = parts.join(' · ')
    button.append(stateMarkElement(bus.state), plate, state, line)
    if (bus.openCases > 0) {
      const badge = document.createElement('span')
      badge.className = 'badge'
      badge.textContent = String(bus.openCases)
      badge.title = `${t.openCasesLabel}: ${bus.openCases}`
      button.append(badge)
    }
    button.addEventListener('click', () => ctx.openBus(bus.busId))
    const item = document.createElement('li')
    item.append(button)
    return item
  }

  function render() {
    const t = ctx.t()
    const fleet = ctx.fleet()
    const lang = ctx.lang()
    fillSelect(ui.town, [
      option('', t.anyTown),
      ...(fleet?.towns ?? []).map((town) => option(town.id, placeName(town, lang, town.id))),
    ])
    fillSelect(ui.school, [
      option('', t.anySchool),
      ...(fleet?.schools ?? [])
        .filter((school) => !filter.townId || school.townId === filter.townId)
        .map((school) => option(school.id, placeName(school, lang, school.id))),
    ])
    fillSelect(ui.state, [
      option('', t.anyState),
      ...[...busStates]
        .sort((a, b) => busStateOrder[a] - busStateOrder[b])
        .map((state) => option(state, t.states[state])),
    ])
    filter = readFilter()
    if (!fleet) {
      setText(ui.count, t.loading)
      return
    }
    const { shown, counts, total } = filterFleet(fleet.buses, filter)
    setText(ui.count, t.busCount(shown.length, total))
    ui.counts.replaceChildren(
      ...[...busStates]
        .sort((a, b) => busStateOrder[a] - busStateOrder[b])
        .map((state) => {
          const chip = document.createElement('li')
          chip.dataset.state = state
          chip.dataset.count = String(counts[state])
          const label = document.createElement('span')
          label.textContent = `${t.states[state]} ${counts[state]}`
          chip.append(stateMarkElement(state), label)
          return chip
        }),
    )
    if (shown.length === 0) {
      const empty = document.createElement('li')
      empty.className = 'empty'
      empty.textContent = t.noBuses
      ui.list.replaceChildren(empty)
    } else ui.list.replaceChildren(...shown.map(rowOf))
  }

  return {
    render,
    pick(busId: string | null) {
      picked = busId
      for (const row of ui.list.querySelectorAll<HTMLElement>('.bus-row'))
        row.setAttribute('aria-pressed', String(row.dataset.busId === busId))
    },
  }
}
