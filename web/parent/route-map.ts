import { roundPx, svg, svgPoints } from '../shared/svg-element.js'
import {
  fitMapLayout,
  mapContains,
  projectToMap,
  tileAddress,
  tilesCovering,
  type LatLon,
  type MapLayout,
} from '../shared/map-projection.js'
import type { BusPosition } from '../shared/bus-live-contract.js'
import { childStopOf, type Ride } from './parent-contract.js'
import type { ParentText } from './parent-text.js'

const paddingPx = 28
const maxZoom = 17
const maxTileZoom = 19

/**
 * The trip on an SVG map drawn from our own data: the route, its stops, the child's stop and the
 * bus with its heading. It needs no tile server; when one is configured its tiles go underneath.
 */
export function createRouteMap(container: HTMLElement, options: { tileUrl: string | null }) {
  const root = svg('svg', { class: 'route-map', role: 'img' })
  const tileLayer = svg('g', { class: 'tiles' })
  const routeLine = svg('polyline', { class: 'route' })
  const stopLayer = svg('g', { class: 'stops' })
  const bus = svg('g', { id: 'bus-marker', class: 'bus', visibility: 'hidden' })
  const busHeading = svg('path', { class: 'bus-heading', d: 'M0,-17 L6,-9 L-6,-9 Z' })
  bus.append(busHeading, svg('circle', { class: 'bus-body', r: 8 }))
  root.append(tileLayer, routeLine, stopLayer, bus)
  container.append(root)
  if (options.tileUrl) {
    const credit = document.createElement('div')
    credit.className = 'map-credit'
    credit.dataset.host = new URL(options.tileUrl.replace(/[{}]/g, '')).host
    container.append(credit)
  }

  let ride: Ride | null = null
  let position: BusPosition | null = null
  let text: ParentText | null = null
  let layout: MapLayout | null = null

  const pointsToShow = (): LatLon[] => {
    if (!ride) return []
    const points: LatLon[] = ride.route.coordinates.map(([lon, lat]) => ({ lat, lon }))
    points.push(...ride.stops)
    if (position) points.push(position)
    return points
  }

  const fit = () => {
    const points = pointsToShow()
    const widthPx = container.clientWidth
    const heightPx = container.clientHeight
    layout =
      points.length > 0 && widthPx > 0 && heightPx > 0
        ? fitMapLayout(points, { widthPx, heightPx, paddingPx, maxZoom })
        : null
  }

  const drawTiles = (at: MapLayout) => {
    tileLayer.replaceChildren()
    if (!options.tileUrl) return
    for (const tile of tilesCovering(at, { maxTileZoom })) {
      const image = svg('image', {
        href: tileAddress(options.tileUrl, tile),
        x: roundPx(tile.leftPx),
        y: roundPx(tile.topPx),
        // Half a pixel more hides the seams between scaled tiles.
        width: roundPx(tile.sizePx + 0.5),
        height: roundPx(tile.sizePx + 0.5),
        preserveAspectRatio: 'none',
      })
      image.addEventListener('error', () => image.remove())
      tileLayer.append(image)
    }
  }

  const drawRide = (at: MapLayout, shown: Ride) => {
    routeLine.setAttribute('points', svgPoints(at, shown.route.coordinates))
    const childStop = childStopOf(shown)
    stopLayer.replaceChildren()
    for (const stop of shown.stops) {
      if (stop.seq === childStop.seq) continue
      const p = projectToMap(at, stop)
      const dot = svg('circle', { class: 'stop', cx: roundPx(p.x), cy: roundPx(p.y), r: 4 })
      const name = svg('title', {})
      name.textContent = stop.name
      dot.append(name)
      stopLayer.append(dot)
    }
    const p = projectToMap(at, childStop)
    const mine = svg('g', { class: 'child-stop', transform: `translate(${roundPx(p.x)} ${roundPx(p.y)})` })
    const label = svg('text', { class: 'child-stop-label', y: -14, 'text-anchor': labelAnchor(p.x, at) })
    label.textContent = `${text?.yourStop ?? ''} · ${childStop.name}`
    mine.append(svg('circle', { r: 9 }), svg('circle', { class: 'child-stop-core', r: 4 }), label)
    stopLayer.append(mine)
  }

  const drawBus = (at: MapLayout) => {
    if (!position) {
      bus.setAttribute('visibility', 'hidden')
      return
    }
    const p = projectToMap(at, position)
    bus.setAttribute('transform', `translate(${roundPx(p.x)} ${roundPx(p.y)})`)
    bus.setAttribute('visibility', 'visible')
    bus.dataset.reportTs = position.ts
    const heading = position.headingDeg
    // `display`, not `visibility`: a child's own visibility would show through a hidden marker.
    busHeading.setAttribute('display', heading == null ? 'none' : 'inline')
    busHeading.setAttribute('transform', `rotate(${Math.round(heading ?? 0)})`)
  }

  const draw = () => {
    // No ride, no map: the ETA panel says why.
    container.hidden = ride === null
    fit()
    if (!layout || !ride) {
      for (const layer of [tileLayer, stopLayer]) layer.replaceChildren()
      routeLine.removeAttribute('points')
      bus.setAttribute('visibility', 'hidden')
      return
    }
    root.setAttribute('viewBox', `0 0 ${layout.widthPx} ${layout.heightPx}`)
    drawTiles(layout)
    drawRide(layout, ride)
    drawBus(layout)
  }

  new ResizeObserver(() => draw()).observe(container)

  return {
    showRide(shown: Ride | null, shownText: ParentText) {
      ride = shown
      text = shownText
      root.setAttribute('aria-label', shownText.title)
      const credit = container.querySelector<HTMLElement>('.map-credit')
      if (credit) credit.textContent = shownText.tiles(credit.dataset.host ?? '')
      draw()
    },
    /** The bus where it last reported, or nothing when that report is too old to trust. */
    showBus(shown: BusPosition | null) {
      position = shown
      // The map is fitted again only when the bus leaves it, so that it does not jump at every report.
      if (layout && position && !mapContains(layout, position, paddingPx / 2)) draw()
      else if (layout) drawBus(layout)
    },
  }
}

/** Labels near the map's right edge run leftwards, so that they stay on screen. */
function labelAnchor(xPx: number, layout: MapLayout): string {
  if (xPx > layout.widthPx * 0.7) return 'end'
  if (xPx < layout.widthPx * 0.3) return 'start'
  return 'middle'
}

export type RouteMap = ReturnType<typeof createRouteMap>
