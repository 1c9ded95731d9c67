import { createRoadAtPointIndex } from '../../geo/roads/road-at-point.js'
import type { RoadGraph } from '../../geo/routing/road-graph.js'
import { findSchoolBusSpeedLimit } from '../../geo/speed/school-bus-speed-limit.js'

/** 0: an ordinary road; 1: an arterial (trunk, primary); 2: the expressway. */
export type ArterialKind = 0 | 1 | 2

export interface RoadSpeed {
  /** The speed a bus keeps here in free traffic: the road's own speed, within the school-bus limit. */
  cruiseKmh: number
  /** The school-bus limit (Decree 617): what speeding is measured against. */
  legalKmh: number
  arterial: ArterialKind
}

export type RoadSpeedLookup = (lat: number, lon: number, headingDeg: number) => RoadSpeed

/** A route that leaves the known roads (an OSRM server on other data) drives like a village road. */
const offNetwork: RoadSpeed = { cruiseKmh: 30, legalKmh: 60, arterial: 0 }

/**
 * What the driven road allows, read from the graph of the roads the router drives on. Route
 * geometry says nothing about its roads, so each stretch is looked up by where it lies and which
 * way it heads.
 */
export function createRoadSpeedLookup(graph: RoadGraph): RoadSpeedLookup {
  const index = createRoadAtPointIndex(graph)
  return (lat, lon, headingDeg) => {
    const road = index.findRoadAtPoint({ lat, lon, headingDeg })
    if (!road) return offNetwork
    const legalKmh = findSchoolBusSpeedLimit(road).limitKmh
    const durationS = graph.pieceDurationS[road.piece]
    const freeFlowKmh = durationS > 0 ? (graph.pieceLengthM[road.piece] / durationS) * 3.6 : legalKmh
    return {
      cruiseKmh: Math.min(freeFlowKmh, legalKmh),
      legalKmh,
      arterial:
        road.roadClass === 'motorway'
          ? 2
          : road.roadClass === 'trunk' || road.roadClass === 'primary'
            ? 1
            : 0,
    }
  }
}
