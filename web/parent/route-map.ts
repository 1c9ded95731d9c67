import type { BusPosition } from '../shared/bus-live-contract.js'
import { createBusMarker, createRouteLines, addSchool, addStop } from '../shared/map/map-overlays.js'
import { mapText } from '../shared/map/map-text.js'
import { createPageMap } from '../shared/map/page-map.js'
import type { FetchRoads } from '../shared/map/road-contract.js'
import type { MapTiles } from '../shared/page-config.js'
import { childStopOf, type Ride, type RideStop } from './parent-contract.js'
import type { ParentText } from './parent-text.js'

/** Close enough to read the street names of the tiles, not so close that the trip leaves the screen. */
const maxFitZoom = 17

/** The school's end of the ride: where the child gets off in the morning, on after school. */
function schoolStopOf(ride: Ride): RideStop {
  return ride.direction === 'to_school' ? ride.alightStop : ride.boardStop
}

/**
 * The trip on the shared map: the road the bus has driven and the road ahead of it, the school, the
 * stops along the way with the child's own picked out, and the bus with its heading. Pan and zoom
 * are the person's; the map fits the trip when a ride is shown, and keeps the bus in view while
 * they have not moved it by hand.
 */
export function createRouteMap(
  container: HTMLElement,
  options: { tiles: MapTiles | null; fetchRoads: FetchRoads; text: ParentText },
) {
  const pageMap = createPageMap(container, {
    tiles: options.tiles,
    fetchRoads: options.fetchRoads,
    text: mapText[options.text.lang],
  })
  const { L, map } = pageMap
  const rideLayer = L.layerGroup().addTo(map)
  const routeLines = createRouteLines(pageMap, rideLayer)
  const stopLayer = L.layerGroup().addTo(map)
  const busLayer = L.layerGroup().addTo(map)
  const bus = createBusMarker(pageMap, busLayer, { id: 'bus-marker', label: options.text.busLabel })

  let ride: Ride | null = null
  let text = options.text
  let position: BusPosition | null = null
  let progressM: number | null = null
  /** The trip the map was last fitted to: a new trip is fitted, a reload of the same one is not. */
  let fittedTrip: string | null = null

  const drawStops = (shown: Ride) => {
    stopLayer.clearLayers()
    const childStop = childStopOf(shown)
    const schoolStop = schoolStopOf(shown)
    for (const stop of shown.stops) {
      if (stop.seq === childStop.seq || stop.seq === schoolStop.seq) continue
      addStop(pageMap, stopLayer, stop)
    }
    addSchool(pageMap, stopLayer, schoolStop, { label: true })
    addStop(pageMap, stopLayer, childStop, {
      className: 'child-stop',
      radiusPx: 8,
      label: `${text.yourStop} · ${childStop.name}`,
    })
  }

  const fitRide = (shown: Ride, force: boolean) => {
    const points = [...shown.route.coordinates.map(([lon, lat]) => ({ lat, lon })), ...shown.stops]
    if (position) points.push(position)
    pageMap.fit(points, { force, maxZoom: maxFitZoom })
  }

  return {
    showRide(shown: Ride | null, shownText: ParentText) {
      ride = shown
      text = shownText
      pageMap.showText(mapText[text.lang])
      // No ride, no map: the ETA panel says why.
      container.hidden = ride === null
      if (!ride) {
        routeLines.show([], {})
        stopLayer.clearLayers()
        bus.show(null, text.busLabel)
        fittedTrip = null
        return
      }
      routeLines.show(ride.route.coordinates, { progressM, position })
      drawStops(ride)
      const newTrip = ride.tripId !== fittedTrip
      fittedTrip = ride.tripId
      if (newTrip) fitRide(ride, true)
    },
    /**
     * The bus where it last reported, with how far along the road the live ETA has it, or nothing
     * when that report is too old to trust.
     */
    showBus(shown: BusPosition | null, shownProgressM: number | null = null) {
      position = shown
      progressM = shown ? shownProgressM : null
      bus.show(position, text.busLabel)
      if (ride) routeLines.moveTo({ progressM, position })
      // The map follows the bus only until the person pans or zooms it themselves.
      const at = bus.position()
      if (ride && at && !pageMap.movedByHand() && !pageMap.showsWell(at)) fitRide(ride, false)
    },
  }
}

export type RouteMap = ReturnType<typeof createRouteMap>
