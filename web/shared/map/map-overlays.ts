import type * as Leaflet from 'leaflet'
import type { LatLon, LonLatPosition } from '../../../geo/lat-lon.js'
import type { PageMap } from './page-map.js'
import { splitRoute, type RoutePlace } from './route-progress.js'

/**
 * What the pages draw on the shared map: schools, stops, a route in driven and ahead, a bus. Each
 * is an element of its own (SVG path or HTML marker) with its place in `data-lat`/`data-lng` as the
 * map draws it (after any datum shift), and every name goes in as text, never as markup.
 */

/** A path as drawn: an SVG element once on a map. */
export type DrawnPath = Leaflet.Path & { getElement(): SVGElement | undefined }

export interface NamedPlace extends LatLon {
  name: string
}

/**
 * Runs `work` on a drawing's element once it has one: Leaflet makes it when the drawing reaches a
 * map that has a view, which may be later than the drawing is added (a map not yet fitted).
 */
export function withElement<E extends HTMLElement | SVGElement>(
  layer: Leaflet.Layer & { getElement(): E | undefined },
  work: (element: E) => void,
) {
  const element = layer.getElement()
  if (element) work(element)
  else layer.once('add', () => withElement(layer, work))
}

/** Writes where a drawing sits on the map, as Leaflet placed it, onto its element. */
function markPlace(element: HTMLElement | SVGElement, at: Leaflet.LatLng) {
  element.dataset.lat = at.lat.toFixed(7)
  element.dataset.lng = at.lng.toFixed(7)
}

function textElement(tag: string, className: string, text: string): HTMLElement {
  const element = document.createElement(tag)
  element.className = className
  element.textContent = text
  return element
}

/** A school: a square sign with its name beside it (`label`), or in its tooltip only. */
export function addSchool(
  pageMap: PageMap,
  layer: Leaflet.LayerGroup,
  school: NamedPlace,
  options: { label: boolean },
): Leaflet.Marker {
  const { L } = pageMap
  const sign = document.createElement('div')
  sign.append(textElement('span', 'school-sign', '校'))
  if (options.label) sign.append(textElement('span', 'map-label', school.name))
  const marker = L.marker(pageMap.toMap(school), {
    icon: L.divIcon({ className: 'school-marker', html: sign, iconSize: [26, 26], iconAnchor: [13, 13] }),
    title: school.name,
    alt: school.name,
    keyboard: false,
  }).addTo(layer)
  withElement(marker, (element) => {
    element.dataset.name = school.name
    markPlace(element, marker.getLatLng())
  })
  return marker
}

/** A stop: a small white dot, its name in a tooltip; `className` picks one out (the child's). */
export function addStop(
  pageMap: PageMap,
  layer: Leaflet.LayerGroup,
  stop: NamedPlace,
  options: { className?: string; radiusPx?: number; label?: string } = {},
): Leaflet.CircleMarker {
  const { L } = pageMap
  const dot = L.circleMarker(pageMap.toMap(stop), {
    className: options.className ?? 'stop',
    radius: options.radiusPx ?? 5,
    weight: 2,
    fillOpacity: 1,
  }).addTo(layer)
  // A permanent label says which stop is the person's own; the others name themselves on a touch.
  dot.bindTooltip(textElement('span', '', options.label ?? stop.name), {
    permanent: options.label !== undefined,
    direction: 'top',
    offset: [0, -(options.radiusPx ?? 5)],
    className: options.label !== undefined ? 'map-label own' : 'map-label',
  })
  withElement(dot as DrawnPath, (element) => {
    element.dataset.name = stop.name
    markPlace(element, dot.getLatLng())
  })
  return dot
}

/**
 * A trip's road in two lines: grey where the bus has been, coloured where it goes on. Both are kept
 * and moved as the bus reports, so that the map does not flicker.
 */
export function createRouteLines(pageMap: PageMap, layer: Leaflet.LayerGroup) {
  const { L } = pageMap
  const driven = L.polyline([], { className: 'route-driven', weight: 5, lineCap: 'round', lineJoin: 'round' })
  const ahead = L.polyline([], { className: 'route-ahead', weight: 5, lineCap: 'round', lineJoin: 'round' })
  driven.addTo(layer)
  ahead.addTo(layer)
  let route: readonly LonLatPosition[] = []
  const draw = (place: RoutePlace) => {
    const split = splitRoute(route, place)
    driven.setLatLngs(pageMap.lineToMap(split.driven))
    ahead.setLatLngs(pageMap.lineToMap(split.ahead))
    for (const [line, points] of [
      [driven, split.driven],
      [ahead, split.ahead],
    ] as const)
      withElement(line as DrawnPath, (element) => (element.dataset.points = String(points.length)))
  }
  return {
    show(coordinates: readonly LonLatPosition[], place: RoutePlace) {
      route = coordinates
      draw(place)
    },
    /** The bus has moved on: the line is cut again where it is now. */
    moveTo(place: RoutePlace) {
      draw(place)
    },
  }
}

/** The bus: a round marker with an arrow for its heading, moved at each report and hidden without one. */
export function createBusMarker(
  pageMap: PageMap,
  layer: Leaflet.LayerGroup,
  options: { id: string; label: string },
) {
  const { L } = pageMap
  const body = document.createElement('div')
  body.className = 'bus-body'
  const heading = document.createElement('div')
  heading.className = 'bus-heading'
  const icon = document.createElement('div')
  icon.append(heading, body)
  const marker = L.marker([0, 0], {
    icon: L.divIcon({ className: 'bus-marker', html: icon, iconSize: [36, 36], iconAnchor: [18, 18] }),
    keyboard: false,
    zIndexOffset: 1000,
    title: options.label,
  })
  return {
    show(position: (LatLon & { ts?: string; headingDeg?: number | null }) | null, label: string) {
      if (!position) {
        layer.removeLayer(marker)
        return
      }
      marker.setLatLng(pageMap.toMap(position))
      if (!layer.hasLayer(marker)) marker.addTo(layer)
      heading.hidden = position.headingDeg == null
      // Set through the style object, which the pages' content security policy allows.
      heading.style.transform = `rotate(${Math.round(position.headingDeg ?? 0)}deg)`
      withElement(marker, (element) => {
        element.id = options.id
        element.title = label
        markPlace(element, marker.getLatLng())
        if (position.ts) element.dataset.reportTs = position.ts
      })
    },
    /** Where the bus is drawn now, or null while it is hidden. */
    position: (): Leaflet.LatLng | null => (layer.hasLayer(marker) ? marker.getLatLng() : null),
  }
}
