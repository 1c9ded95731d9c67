import type { FeatureCollection } from 'geojson'
import type * as Leaflet from 'leaflet'
import type { LatLon, LonLatPosition } from '../../../geo/lat-lon.js'
import type { MapTiles } from '../page-config.js'
import { fromMapLatLng, toMapLatLng, toMapLine, type MapDatum, type MapLatLng } from './map-datum.js'
import type { MapText } from './map-text.js'
import type { FetchRoads } from './road-contract.js'
import { roadRequestFor } from './road-request.js'

/** Leaflet, which the page loads from /vendor/leaflet.js before its own module. */
function leafletLibrary(): typeof Leaflet {
  const L = (globalThis as unknown as { L?: typeof Leaflet }).L
  if (!L) throw new Error('the map library (/vendor/leaflet.js) did not load')
  return L
}

/** How each class of road is drawn: the arterials wide and warm, the streets thin and white. */
const roadStyles: Record<string, { color: string; weight: number }> = {
  motorway: { color: '#e9a23b', weight: 6 },
  trunk: { color: '#efb04f', weight: 5.5 },
  primary: { color: '#f6cd67', weight: 5 },
  secondary: { color: '#fae08f', weight: 4 },
  tertiary: { color: '#ffffff', weight: 3.5 },
  unclassified: { color: '#ffffff', weight: 2.5 },
  residential: { color: '#ffffff', weight: 2.5 },
  service: { color: '#ffffff', weight: 1.5 },
}
/** A new view's roads are asked for once the map has stood still this long. */
const roadDebounceMs = 250
const maxZoom = 19

export interface PageMap {
  readonly L: typeof Leaflet
  readonly map: Leaflet.Map
  /** What the tiles are drawn in; without tiles, WGS-84. */
  readonly datum: MapDatum
  /** A platform (WGS-84) point where this map draws it. */
  toMap(point: LatLon): MapLatLng
  /** A GeoJSON line ([lon, lat], WGS-84) where this map draws it. */
  lineToMap(coordinates: readonly LonLatPosition[]): MapLatLng[]
  /**
   * Shows all these points. Once the person has panned or zoomed by hand the map stays where they
   * put it, unless `force` (a new trip, another child).
   */
  fit(points: readonly LatLon[], options?: { force?: boolean; maxZoom?: number }): void
  /** Whether the person has moved the map by hand since it was last fitted. */
  movedByHand(): boolean
  /** Whether a place on the map lies well inside the view (true while the map has no view yet). */
  showsWell(at: Leaflet.LatLng): boolean
  showText(text: MapText): void
}

/**
 * The one map of every page. Leaflet, not a WebGL library: it runs on cheap phones and in a
 * headless browser without a GPU, is small, and its canvas renderer draws thousands of road pieces
 * quickly. Under everything lie the platform's own roads (GET /api/map/roads, asked for as the view
 * moves), so the map needs no tile service; TILE_URL's tiles, where set, go beneath them. The page's
 * own drawings (SVG, so that each is an element) go on top, shifted to the tiles' datum.
 */
export function createPageMap(
  container: HTMLElement,
  options: { tiles: MapTiles | null; fetchRoads: FetchRoads; text: MapText; paddingPx?: number },
): PageMap {
  const L = leafletLibrary()
  const { tiles } = options
  const datum: MapDatum = tiles?.datum ?? 'wgs84'
  const paddingPx = options.paddingPx ?? 24
  container.classList.add('page-map')
  const map = L.map(container, {
    zoomControl: false,
    attributionControl: false,
    maxZoom,
    minZoom: 3,
    zoomSnap: 0.5,
  })
  const zoom = L.control.zoom({ position: 'topright' }).addTo(map)
  // Leaflet's own credit in plain words, the tiles' after it: the page links nowhere else.
  const attribution = L.control.attribution({ prefix: 'Leaflet' }).addTo(map)
  if (tiles) {
    L.tileLayer(tiles.url, {
      subdomains: tiles.subdomains,
      maxNativeZoom: 18,
      maxZoom,
    }).addTo(map)
    attribution.addAttribution(escapeHtml(tiles.attribution ?? hostOf(tiles.url)))
  }
  const toMap = (point: LatLon) => toMapLatLng(datum, point)
  addRoadLayer({ L, map, datum, container, fetchRoads: options.fetchRoads, underTiles: tiles !== null })

  let byHand = false
  for (const type of ['pointerdown', 'wheel', 'keydown'])
    container.addEventListener(type, () => (byHand = true), { passive: true })

  let viewSet = false
  let pendingFit: { points: readonly LatLon[]; maxZoom: number } | null = null
  const applyFit = (points: readonly LatLon[], fitMaxZoom: number) => {
    if (points.length === 0) return
    if (container.clientWidth === 0 || container.clientHeight === 0) {
      // A hidden map has no size to fit to: it is fitted when it shows.
      pendingFit = { points, maxZoom: fitMaxZoom }
      return
    }
    pendingFit = null
    map.fitBounds(L.latLngBounds(points.map(toMap)), {
      padding: [paddingPx, paddingPx],
      maxZoom: fitMaxZoom,
      animate: false,
    })
    viewSet = true
  }
  new ResizeObserver(() => {
    if (container.clientWidth === 0 || container.clientHeight === 0) return
    map.invalidateSize({ animate: false })
    if (pendingFit) applyFit(pendingFit.points, pendingFit.maxZoom)
  }).observe(container)

  const showText = (text: MapText) => {
    container.setAttribute('aria-label', text.label)
    const zoomElement = zoom.getContainer()
    for (const [selector, words] of [
      ['.leaflet-control-zoom-in', text.zoomIn],
      ['.leaflet-control-zoom-out', text.zoomOut],
    ] as const) {
      const button = zoomElement?.querySelector(selector)
      button?.setAttribute('title', words)
      button?.setAttribute('aria-label', words)
    }
  }
  showText(options.text)

  return {
    L,
    map,
    datum,
    toMap,
    lineToMap: (coordinates) => toMapLine(datum, coordinates),
    fit(points, fitOptions = {}) {
      if (viewSet && byHand && !fitOptions.force) return
      byHand = false
      applyFit(points, fitOptions.maxZoom ?? 17)
    },
    movedByHand: () => byHand,
    showsWell: (at) => !viewSet || map.getBounds().pad(-0.1).contains(at),
    showText,
  }
}

/**
 * The platform's roads for the view, asked for once the map stands still, drawn on a canvas in a
 * pane of their own between the tiles and the page's drawings. The container's `data-road-count`
 * says how many roads are drawn, and `data-road-zoom` for which zoom.
 */
function addRoadLayer(options: {
  L: typeof Leaflet
  map: Leaflet.Map
  datum: MapDatum
  container: HTMLElement
  fetchRoads: FetchRoads
  underTiles: boolean
}) {
  const { L, map, datum, container } = options
  const pane = map.createPane('roads')
  // Above the tiles (200), below the page's drawings (400); the roads take no clicks.
  pane.style.zIndex = '350'
  pane.style.pointerEvents = 'none'
  const renderer = L.canvas({ pane: 'roads', padding: 0.5 })
  const layer = L.geoJSON(undefined, {
    pane: 'roads',
    interactive: false,
    renderer,
    coordsToLatLng: ([lon, lat]) => L.latLng(toMapLatLng(datum, { lat: lat!, lon: lon! })),
    style: (feature) => ({
      ...(roadStyles[String(feature?.properties?.roadClass)] ?? roadStyles.service),
      // On tiles, which draw the streets already, the platform's roads only mark what routing knows.
      opacity: options.underTiles ? 0.55 : 1,
      lineCap: 'round',
      lineJoin: 'round',
    }),
  } as Leaflet.GeoJSONOptions).addTo(map)

  let shownKey = ''
  let wantedKey = ''
  let timer: ReturnType<typeof setTimeout> | undefined
  const update = async () => {
    const bounds = map.getBounds()
    const request = roadRequestFor(
      {
        southWest: fromMapLatLng(datum, bounds.getSouthWest()),
        northEast: fromMapLatLng(datum, bounds.getNorthEast()),
      },
      map.getZoom(),
    )
    if (!request) return
    const key = `${request.zoom}:${request.bbox}`
    if (key === shownKey || key === wantedKey) return
    wantedKey = key
    try {
      const roads = await options.fetchRoads(request)
      // The map moved on meanwhile: the newer view's answer is drawn instead.
      if (wantedKey !== key) return
      layer.clearLayers()
      layer.addData(roads as FeatureCollection)
      shownKey = key
      container.dataset.roadCount = String(roads.features.length)
      container.dataset.roadZoom = String(request.zoom)
    } catch {
      // The roads drawn stay; the next move asks again. The page's own requests report the trouble.
      if (wantedKey === key) wantedKey = ''
    }
  }
  map.on('moveend', () => {
    clearTimeout(timer)
    timer = setTimeout(() => void update(), roadDebounceMs)
  })
}

const hostOf = (template: string) =>
  template
    .replace(/^\w+:\/\//, '')
    .split(/[/?#]/)[0]!
    .replace('{s}.', '')

/** The tiles' credit is the operator's plain text: Leaflet would read it as markup. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
