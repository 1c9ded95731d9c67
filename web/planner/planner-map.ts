import { roundPx, svg, svgPoints } from '../shared/svg-element.js'
import { fitMapLayout, projectToMap, type LatLon, type MapLayout } from '../shared/map-projection.js'
import { styleLine } from './line-palette.js'
import type { Density, PlanResult, TodayService } from './planner-contract.js'

const paddingPx = 16
const maxZoom = 16
const metresPerDegreeLat = 111_320

export interface PlannerMapContent {
  density: Density | null
  today: TodayService | null
  showToday: boolean
  plan: PlanResult | null
  /** The line picked in the list, drawn on top and the others faded; null for none. */
  pickedLine: string | null
}

/**
 * The planner's SVG map, drawn from our own data without tiles: how many riders live in each
 * cell (a shaded square; never a single home), today's routes if asked for, and the plan's lines,
 * each in its own style as in the list of lines, and stops.
 */
export function createPlannerMap(container: HTMLElement) {
  const root = svg('svg', { class: 'planner-map', role: 'img' })
  const layers = {
    density: svg('g', { class: 'density' }),
    today: svg('g', { class: 'today' }),
    lines: svg('g', { class: 'lines' }),
    stops: svg('g', { class: 'stops' }),
  }
  root.append(layers.density, layers.today, layers.lines, layers.stops)
  container.append(root)
  let content: PlannerMapContent = {
    density: null,
    today: null,
    showToday: false,
    plan: null,
    pickedLine: null,
  }

  /** The whole area is always in view, so that the map does not jump when a plan arrives. */
  const extent = (): LatLon[] => [
    ...(content.density?.cells ?? []),
    ...(content.today?.routes.flatMap((route) => route.coordinates.map(([lon, lat]) => ({ lat, lon }))) ??
      []),
    ...(content.plan?.stops.map((stop) => stop.location) ?? []),
  ]

  const drawDensity = (at: MapLayout, density: Density) => {
    const most = Math.max(1, ...density.cells.map((cell) => cell.count))
    const halfLat = density.cellM / 2 / metresPerDegreeLat
    for (const cell of density.cells) {
      const halfLon = halfLat / Math.cos((cell.lat * Math.PI) / 180)
      const corner = projectToMap(at, { lat: cell.lat + halfLat, lon: cell.lon - halfLon })
      const opposite = projectToMap(at, { lat: cell.lat - halfLat, lon: cell.lon + halfLon })
      const square = svg('rect', {
        class: 'cell',
        x: roundPx(corner.x),
        y: roundPx(corner.y),
        width: roundPx(Math.max(1, opposite.x - corner.x)),
        height: roundPx(Math.max(1, opposite.y - corner.y)),
        'fill-opacity': roundPx(0.15 + (0.7 * cell.count) / most),
      })
      square.dataset.count = String(cell.count)
      layers.density.append(square)
    }
  }

  const drawPlan = (at: MapLayout, plan: PlanResult) => {
    const picked = content.pickedLine
    plan.lines.forEach((line, index) => {
      const style = styleLine(index)
      const state = picked === null ? '' : line.id === picked ? ' picked' : ' faded'
      const drawn = svg('polyline', {
        class: `line ${line.kind}${state}`,
        points: svgPoints(at, line.geometry.coordinates),
        stroke: style.colour,
        'stroke-dasharray': style.dash || 'none',
      })
      drawn.dataset.lineId = line.id
      const title = svg('title', {})
      title.textContent = line.name
      drawn.append(title)
      layers.lines.append(drawn)
    })
    // Drawn last, the picked line is on top of the lines it crosses.
    const pickedLine = layers.lines.querySelector('.picked')
    if (pickedLine) layers.lines.append(pickedLine)
    for (const stop of plan.stops) {
      const p = projectToMap(at, stop.location)
      const dot = svg('circle', { class: 'stop', cx: roundPx(p.x), cy: roundPx(p.y), r: 3.5 })
      const title = svg('title', {})
      title.textContent = stop.name
      dot.append(title)
      layers.stops.append(dot)
    }
  }

  const draw = () => {
    for (const layer of Object.values(layers)) layer.replaceChildren()
    const points = extent()
    const widthPx = container.clientWidth
    const heightPx = container.clientHeight
    if (points.length === 0 || widthPx === 0 || heightPx === 0) return
    const at = fitMapLayout(points, { widthPx, heightPx, paddingPx, maxZoom })
    root.setAttribute('viewBox', `0 0 ${widthPx} ${heightPx}`)
    if (content.density) drawDensity(at, content.density)
    if (content.today && content.showToday) {
      for (const route of content.today.routes)
        layers.today.append(
          svg('polyline', { class: 'today-route', points: svgPoints(at, route.coordinates) }),
        )
    }
    if (content.plan) drawPlan(at, content.plan)
  }

  new ResizeObserver(() => draw()).observe(container)

  return {
    show(shown: Partial<PlannerMapContent>, label: string) {
      content = { ...content, ...shown }
      root.setAttribute('aria-label', label)
      draw()
    },
  }
}

export type PlannerMap = ReturnType<typeof createPlannerMap>
