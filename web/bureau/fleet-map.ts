import type * as Leaflet from 'leaflet'
import type { LatLon } from '../../geo/lat-lon.js'
import type { BusState } from '../../server/core/fleet/bus-state.js'
import { withElement } from '../shared/map/map-overlays.js'
import { mapText } from '../shared/map/map-text.js'
import { createPageMap } from '../shared/map/page-map.js'
import type { FetchRoads } from '../shared/map/road-contract.js'
import { createSpeedTrack, type TrackFix } from '../shared/map/speed-track.js'
import type { Lang } from '../shared/language.js'
import type { MapTiles } from '../shared/page-config.js'
import { stateMarkElement } from './state-marks.js'

/** A bus as the map marks it. */
export interface MappedBus extends LatLon {
  busId: string
  plate: string
  state: BusState
  /** The state in words, for the marker's title. */
  stateName: string
  ts: string
  /** Its alarm cases not closed: a marker with any is ringed, its count beside the plate. */
  openCases: number
}

/** A county of 36 buses fills the map; a street is read by zooming in. */
const maxFitZoom = 15
/** Zoomed out further than this, the plates would cover each other: only the picked bus's shows. */
const platesFromZoom = 13

/**
 * The console's map over the platform's roads: every bus as a marker of its state's colour, shape
 * and sign with its plate beside it (ringed in red while it has alarms open), moved as its reports come; the picked bus's track of the day
 * coloured by speed with the player's cursor; and an alarm's place. Each marker carries its bus in
 * `data-bus-id`, its state in `data-state` and its place in `data-lat`/`data-lng`.
 */
export function createFleetMap(
  container: HTMLElement,
  options: { tiles: MapTiles | null; fetchRoads: FetchRoads; lang: Lang; onPick(busId: string): void },
) {
  const pageMap = createPageMap(container, {
    tiles: options.tiles,
    fetchRoads: options.fetchRoads,
    text: mapText[options.lang],
    paddingPx: 20,
  })
  const { L, map } = pageMap
  const trackLayer = L.layerGroup().addTo(map)
  const caseLayer = L.layerGroup().addTo(map)
  const busLayer = L.layerGroup().addTo(map)
  const track = createSpeedTrack(pageMap, trackLayer)
  const showPlates = () => container.classList.toggle('plates-hidden', map.getZoom() < platesFromZoom)
  map.on('zoomend', showPlates)
  const markers = new Map<string, { marker: Leaflet.Marker; shown: MappedBus; readonly icon: HTMLElement }>()
  let picked: string | null = null
  let fitted = false

  /** The marker's content, written into the one element Leaflet was given (it may not be drawn yet). */
  const fillIcon = (icon: HTMLElement, bus: MappedBus) => {
    const label = document.createElement('span')
    label.className = 'fleet-plate'
    label.textContent = bus.openCases > 0 ? `${bus.plate} · ⚠${bus.openCases}` : bus.plate
    icon.replaceChildren(stateMarkElement(bus.state), label)
  }

  const describe = (element: HTMLElement, bus: MappedBus, at: Leaflet.LatLng) => {
    element.dataset.busId = bus.busId
    element.dataset.state = bus.state
    element.dataset.lat = at.lat.toFixed(7)
    element.dataset.lng = at.lng.toFixed(7)
    element.dataset.reportTs = bus.ts
    element.dataset.openCases = String(bus.openCases)
    element.classList.toggle('has-alarm', bus.openCases > 0)
    element.title = `${bus.plate} · ${bus.stateName}`
    element.classList.toggle('picked', bus.busId === picked)
  }

  const place = (bus: MappedBus) => {
    const known = markers.get(bus.busId)
    const at = pageMap.toMap(bus)
    if (!known) {
      const icon = document.createElement('div')
      icon.className = 'fleet-icon'
      fillIcon(icon, bus)
      const marker = L.marker(at, {
        icon: L.divIcon({ className: 'fleet-marker', html: icon, iconSize: [28, 28], iconAnchor: [14, 14] }),
        keyboard: true,
        title: `${bus.plate} · ${bus.stateName}`,
        alt: bus.plate,
      }).addTo(busLayer)
      marker.on('click', () => options.onPick(bus.busId))
      markers.set(bus.busId, { marker, shown: bus, icon })
      withElement(marker, (element) => describe(element, bus, marker.getLatLng()))
      return
    }
    known.marker.setLatLng(at)
    if (
      known.shown.state !== bus.state ||
      known.shown.plate !== bus.plate ||
      known.shown.openCases !== bus.openCases
    )
      fillIcon(known.icon, bus)
    known.shown = bus
    withElement(known.marker, (element) => describe(element, bus, known.marker.getLatLng()))
  }

  return {
    /** Every bus the console shows now; those gone from it leave the map. */
    showBuses(buses: readonly MappedBus[]) {
      const kept = new Set(buses.map((bus) => bus.busId))
      for (const [busId, known] of markers) {
        if (kept.has(busId)) continue
        busLayer.removeLayer(known.marker)
        markers.delete(busId)
      }
      for (const bus of buses) place(bus)
      container.dataset.buses = String(markers.size)
      if (!fitted && buses.length > 0) {
        pageMap.fit(buses, { force: true, maxZoom: maxFitZoom })
        fitted = true
        showPlates()
      }
    },
    /** A bus's new report: its marker moves, keeping its state until the fleet is read again. */
    moveBus(busId: string, position: LatLon & { ts: string }) {
      const known = markers.get(busId)
      if (!known || known.shown.ts >= position.ts) return
      place({ ...known.shown, lat: position.lat, lon: position.lon, ts: position.ts })
    },
    pick(busId: string | null) {
      picked = busId
      for (const [id, known] of markers)
        withElement(known.marker, (element) => element.classList.toggle('picked', id === busId))
      const marker = busId ? markers.get(busId)?.marker : undefined
      if (marker && !pageMap.showsWell(marker.getLatLng())) map.panTo(marker.getLatLng())
    },
    track,
    showTrack(fixes: readonly TrackFix[]) {
      track.show(fixes)
    },
    /** Where an alarm happened, picked out; null takes it away. */
    showCasePlace(where: LatLon | null, label: string) {
      caseLayer.clearLayers()
      if (!where) return
      const sign = document.createElement('div')
      sign.className = 'case-sign'
      sign.textContent = '!'
      const marker = L.marker(pageMap.toMap(where), {
        icon: L.divIcon({ className: 'case-marker', html: sign, iconSize: [30, 30], iconAnchor: [15, 15] }),
        title: label,
        keyboard: false,
        zIndexOffset: 3000,
      }).addTo(caseLayer)
      withElement(marker, (element) => {
        element.id = 'case-place'
        element.dataset.lat = marker.getLatLng().lat.toFixed(7)
        element.dataset.lng = marker.getLatLng().lng.toFixed(7)
      })
      pageMap.fit([where], { force: true, maxZoom: 16 })
    },
    setLanguage(lang: Lang, label: string) {
      pageMap.showText({ ...mapText[lang], label })
    },
  }
}

export type FleetMap = ReturnType<typeof createFleetMap>
