import type * as Leaflet from 'leaflet'
import type { LatLon } from '../../geo/lat-lon.js'
import { addSchool, addStop, withElement, type DrawnPath } from '../shared/map/map-overlays.js'
import { mapText } from '../shared/map/map-text.js'
import { createPageMap } from '../shared/map/page-map.js'
import type { FetchRoads } from '../shared/map/road-contract.js'
import type { MapTiles } from '../shared/page-config.js'
import { styleLine } from './line-palette.js'
import type { Density, PlanResult, TodayService } from './planner-contract.js'

const metresPerDegreeLat = 111_320
/** A county fills the map; a plan's streets are read by zooming in. */
const maxFitZoom = 15

/** A school as the map marks it: where it is and its name in the page's language. */
export interface MapSchool extends LatLon {
  id: string
  name: string
}

export interface PlannerMapContent {
  density: Density | null
  today: TodayService | null
  showToday: boolean
  plan: PlanResult | null
  /** The line picked in the list, drawn on top and the others faded; null for none. */
  pickedLine: string | null
  schools: readonly MapSchool[]
}

/**
 * The planner's map over the platform's roads: how many riders live in each cell (a shaded square;
 * never a single home), the schools, today's routes if asked for, and the plan's lines, each in its
 * own colour and dash as in the list of lines, with their stops.
 */
export function createPlannerMap(
  container: HTMLElement,
  options: { tiles: MapTiles | null; fetchRoads: FetchRoads },
) {
  const pageMap = createPageMap(container, {
    tiles: options.tiles,
    fetchRoads: options.fetchRoads,
    text: mapText[pageLang()],
    paddingPx: 16,
  })
  const { L, map } = pageMap
  const layers = {
    density: L.layerGroup().addTo(map),
    today: L.layerGroup().addTo(map),
    lines: L.layerGroup().addTo(map),
    stops: L.layerGroup().addTo(map),
    schools: L.layerGroup().addTo(map),
  }
  let content: PlannerMapContent = {
    density: null,
    today: null,
    showToday: false,
    plan: null,
    pickedLine: null,
    schools: [],
  }
  let fitted = false

  /** The whole area, fitted once, so that the map does not jump when a plan arrives. */
  const extent = (): LatLon[] => [
    ...(content.density?.cells ?? []),
    ...content.schools,
    ...(content.today?.routes.flatMap((route) => route.coordinates.map(([lon, lat]) => ({ lat, lon }))) ??
      []),
    ...(content.plan?.stops.map((stop) => stop.location) ?? []),
  ]

  const drawDensity = (density: Density) => {
    const most = Math.max(1, ...density.cells.map((cell) => cell.count))
    const halfLat = density.cellM / 2 / metresPerDegreeLat
    for (const cell of density.cells) {
      const halfLon = halfLat / Math.cos((cell.lat * Math.PI) / 180)
      const square = L.rectangle(
        L.latLngBounds([
          pageMap.toMap({ lat: cell.lat - halfLat, lon: cell.lon - halfLon }),
          pageMap.toMap({ lat: cell.lat + halfLat, lon: cell.lon + halfLon }),
        ]),
        {
          className: 'cell',
          stroke: false,
          fillOpacity: 0.15 + (0.6 * cell.count) / most,
          interactive: false,
        },
      ).addTo(layers.density)
      withElement(square as DrawnPath, (element) => (element.dataset.count = String(cell.count)))
    }
  }

  const drawPlan = (plan: PlanResult) => {
    const picked = content.pickedLine
    let pickedDrawn: Leaflet.Polyline | null = null
    plan.lines.forEach((line, index) => {
      const style = styleLine(index)
      const state = picked === null ? '' : line.id === picked ? ' picked' : ' faded'
      const drawn = L.polyline(pageMap.lineToMap(line.geometry.coordinates), {
        className: `line ${line.kind}${state}`,
        color: style.colour,
        dashArray: style.dash || undefined,
        lineJoin: 'round',
      }).addTo(layers.lines)
      withElement(drawn as DrawnPath, (element) => (element.dataset.lineId = line.id))
      drawn.bindTooltip(Object.assign(document.createElement('span'), { textContent: line.name }), {
        sticky: true,
        className: 'map-label',
      })
      if (line.id === picked) pickedDrawn = drawn
    })
    // On top, the picked line shows over the lines it crosses.
    ;(pickedDrawn as Leaflet.Polyline | null)?.bringToFront()
    for (const stop of plan.stops)
      addStop(pageMap, layers.stops, { ...stop.location, name: stop.name }, { radiusPx: 4 })
  }

  const draw = () => {
    for (const layer of Object.values(layers)) layer.clearLayers()
    if (content.density) drawDensity(content.density)
    if (content.today && content.showToday) {
      for (const route of content.today.routes)
        L.polyline(pageMap.lineToMap(route.coordinates), {
          className: 'today-route',
          interactive: false,
        }).addTo(layers.today)
    }
    if (content.plan) drawPlan(content.plan)
    for (const school of content.schools) addSchool(pageMap, layers.schools, school, { label: false })
    if (!fitted) {
      const points = extent()
      if (points.length > 0) {
        pageMap.fit(points, { force: true, maxZoom: maxFitZoom })
        fitted = true
      }
    }
  }

  return {
    show(shown: Partial<PlannerMapContent>, label: string) {
      content = { ...content, ...shown }
      pageMap.showText({ ...mapText[pageLang()], label })
      draw()
    },
  }
}

/** The language the page is shown in now, which the staff page keeps on the document. */
function pageLang() {
  return document.documentElement.lang.startsWith('en') ? 'en' : 'zh'
}

export type PlannerMap = ReturnType<typeof createPlannerMap>
