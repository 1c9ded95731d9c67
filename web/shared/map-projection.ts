export interface LatLon {
  lat: number
  lon: number
}

/**
 * The map's projection: Web Mercator, fitted to the trip so that it fills the screen. It is the
 * projection of the common tile servers, so configured tiles line up with what we draw; at the
 * scale of a town it is also true to shape (north up, equal scale both ways).
 */
export interface MapLayout {
  widthPx: number
  heightPx: number
  /** Fractional Web-Mercator zoom: the whole world is 256·2^zoom pixels wide. */
  zoom: number
  /** The world pixel, at `zoom`, of the map's top-left corner. */
  leftPx: number
  topPx: number
}

export interface MapTile {
  z: number
  x: number
  y: number
  /** Where the tile goes on the map and how big it is drawn. */
  leftPx: number
  topPx: number
  sizePx: number
}

const tileSizePx = 256
const maxMercatorLat = 85.05112878

function worldPoint(p: LatLon, zoom: number) {
  const scale = tileSizePx * 2 ** zoom
  const lat = Math.max(-maxMercatorLat, Math.min(maxMercatorLat, p.lat))
  const sin = Math.sin((lat * Math.PI) / 180)
  return {
    x: ((p.lon + 180) / 360) * scale,
    y: (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * scale,
  }
}

/** The largest zoom (up to `maxZoom`) at which every point fits inside the padded map. */
export function fitMapLayout(
  points: readonly LatLon[],
  options: { widthPx: number; heightPx: number; paddingPx: number; maxZoom: number },
): MapLayout {
  if (points.length === 0) throw new Error('a map needs at least one point to show')
  const world = points.map((p) => worldPoint(p, 0))
  const xs = world.map((w) => w.x)
  const ys = world.map((w) => w.y)
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]
  const usableW = Math.max(1, options.widthPx - 2 * options.paddingPx)
  const usableH = Math.max(1, options.heightPx - 2 * options.paddingPx)
  const zoom = Math.min(
    options.maxZoom,
    maxX > minX ? Math.log2(usableW / (maxX - minX)) : Infinity,
    maxY > minY ? Math.log2(usableH / (maxY - minY)) : Infinity,
  )
  const scale = 2 ** zoom
  return {
    widthPx: options.widthPx,
    heightPx: options.heightPx,
    zoom,
    leftPx: ((minX + maxX) / 2) * scale - options.widthPx / 2,
    topPx: ((minY + maxY) / 2) * scale - options.heightPx / 2,
  }
}

/** Map pixels of a point, from the map's top-left corner. */
export function projectToMap(layout: MapLayout, p: LatLon): { x: number; y: number } {
  const w = worldPoint(p, layout.zoom)
  return { x: w.x - layout.leftPx, y: w.y - layout.topPx }
}

export function unprojectFromMap(layout: MapLayout, point: { x: number; y: number }): LatLon {
  const scale = tileSizePx * 2 ** layout.zoom
  const x = (point.x + layout.leftPx) / scale
  const y = (point.y + layout.topPx) / scale
  return {
    lat: (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI,
    lon: x * 360 - 180,
  }
}

export function mapContains(layout: MapLayout, p: LatLon, marginPx = 0): boolean {
  const { x, y } = projectToMap(layout, p)
  return x >= marginPx && y >= marginPx && x <= layout.widthPx - marginPx && y <= layout.heightPx - marginPx
}

/**
 * The tiles that cover the map, at the tile zoom nearest the map's, each scaled to fit the map's
 * fractional zoom.
 */
export function tilesCovering(layout: MapLayout, options: { maxTileZoom: number }): MapTile[] {
  const z = Math.max(0, Math.min(options.maxTileZoom, Math.round(layout.zoom)))
  const sizePx = tileSizePx * 2 ** (layout.zoom - z)
  const count = 2 ** z
  const tiles: MapTile[] = []
  const firstX = Math.floor(layout.leftPx / sizePx)
  const lastX = Math.floor((layout.leftPx + layout.widthPx) / sizePx)
  const firstY = Math.max(0, Math.floor(layout.topPx / sizePx))
  const lastY = Math.min(count - 1, Math.floor((layout.topPx + layout.heightPx) / sizePx))
  for (let ty = firstY; ty <= lastY; ty++) {
    for (let tx = firstX; tx <= lastX; tx++) {
      tiles.push({
        z,
        x: ((tx % count) + count) % count,
        y: ty,
        leftPx: tx * sizePx - layout.leftPx,
        topPx: ty * sizePx - layout.topPx,
        sizePx,
      })
    }
  }
  return tiles
}

/** A tile's address from a template such as `https://tile.example.org/{z}/{x}/{y}.png`. */
export function tileAddress(template: string, tile: Pick<MapTile, 'z' | 'x' | 'y'>): string {
  return template
    .replaceAll('{z}', String(tile.z))
    .replaceAll('{x}', String(tile.x))
    .replaceAll('{y}', String(tile.y))
}
