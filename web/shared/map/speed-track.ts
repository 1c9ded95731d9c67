import type * as Leaflet from 'leaflet'
import type { LatLon } from '../../../geo/lat-lon.js'
import { withElement, type DrawnPath } from './map-overlays.js'
import type { PageMap } from './page-map.js'
import { splitBySpeedBand, thinTrack } from './speed-bands.js'

/** A fix of a track as the map draws it. */
export interface TrackFix extends LatLon {
  ts: string
  speedKmh: number | null
}

/** A day of 1 Hz reports is drawn from this many points: enough for every turn of its roads. */
const maxDrawnPoints = 2500

/**
 * A bus's track on the shared map, coloured by its speed (speed-bands.ts) over a dark casing so the
 * pale slow stretches show on a pale map, with a cursor that a player moves along it. Each band's
 * stretch is an SVG path of class `speed-track` with its band in `data-band`.
 */
export function createSpeedTrack(pageMap: PageMap, layer: Leaflet.LayerGroup) {
  const { L } = pageMap
  const cursorBody = document.createElement('div')
  cursorBody.className = 'track-cursor-body'
  const cursor = L.marker([0, 0], {
    icon: L.divIcon({ className: 'track-cursor', html: cursorBody, iconSize: [18, 18], iconAnchor: [9, 9] }),
    keyboard: false,
    interactive: false,
    zIndexOffset: 2000,
  })
  let fixes: readonly TrackFix[] = []

  return {
    /** Draws the track (replacing any before); the map is fitted to it unless moved by hand. */
    show(track: readonly TrackFix[]) {
      layer.clearLayers()
      fixes = track
      if (track.length === 0) return
      const drawn = thinTrack(track, maxDrawnPoints)
      const line = drawn.map((fix) => pageMap.toMap(fix))
      L.polyline(line, { className: 'speed-track-casing', weight: 8, interactive: false }).addTo(layer)
      for (const run of splitBySpeedBand(drawn)) {
        const path = L.polyline(
          run.points.map((fix) => pageMap.toMap(fix)),
          { className: 'speed-track', color: run.band.colour, weight: 5, interactive: false },
        ).addTo(layer)
        withElement(path as DrawnPath, (element) => (element.dataset.band = String(run.band.id)))
      }
      cursor.addTo(layer)
      pageMap.fit(track, { force: true, maxZoom: 16 })
    },
    /** Puts the cursor on the track's fix at `index`. */
    moveTo(index: number) {
      const fix = fixes[index]
      if (!fix) return
      cursor.setLatLng(pageMap.toMap(fix))
      withElement(cursor, (element) => {
        element.id = 'track-cursor'
        element.dataset.ts = fix.ts
        element.dataset.index = String(index)
      })
    },
    clear() {
      layer.clearLayers()
      fixes = []
    },
  }
}

export type SpeedTrack = ReturnType<typeof createSpeedTrack>
