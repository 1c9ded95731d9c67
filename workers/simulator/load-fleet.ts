import type { LatLon } from '../../geo/lat-lon.js'
import type { RoadNetwork } from '../../geo/roads/road-network.js'
import { GeoError } from '../../geo/geo-error.js'
import { buildRoadGraph, type RoadGraph } from '../../geo/routing/road-graph.js'
import type { Router } from '../../geo/routing/router.js'
import { createSeededRandom, type SeededRandom } from '../../geo/random/seeded-random.js'
import type { Activity, BusPlan } from './bus-plan.js'
import { buildDrivePath, type DrivePath } from './drive-path.js'
import { createFleetSimulation, type SimulationSource } from './fleet-simulation.js'
import { createRoadConditions } from './road-conditions.js'
import { createRoadSpeedLookup, type RoadSpeedLookup } from './road-speed-lookup.js'
import type { SimulationSettings } from './simulation-settings.js'
import type { RecordFault } from './injected-fault.js'

/** A closed tour through random points of the network, stopping at each: what load-mode buses drive. */
export interface LoadLoop {
  id: string
  legs: DrivePath[]
}

const MAX_PICKS_PER_LOOP = 50
/** A load-mode bus stands at its first stop for up to this long, so a large fleet does not move in step. */
const MAX_FIRST_WAIT_S = 60
const MAX_PUPILS_PER_STOP = 8
const STOPS_PER_LOOP = 4

/**
 * Routes `loopCount` tours of `stopsPerLoop` random points of the network, once: the buses of a
 * load test share them, so that a report costs a few array reads, not a route.
 */
async function prepareLoadLoops(
  network: RoadNetwork,
  router: Router,
  options: {
    loopCount: number
    stopsPerLoop: number
    random: SeededRandom
    roadSpeedAt: RoadSpeedLookup
    brakingMs2: number
  },
): Promise<LoadLoop[]> {
  const vertices = network.ways.flatMap((way) => way.coords)
  if (vertices.length < 2) throw new Error('the road network has too few points for load mode')
  const pickPoint = (): LatLon => {
    const [lon, lat] = options.random.pick(vertices)
    return { lat, lon }
  }
  const loops: LoadLoop[] = []
  for (let n = 0; n < options.loopCount; n++) {
    const points: LatLon[] = [pickPoint()]
    const legs: DrivePath[] = []
    for (let picks = 0; legs.length < options.stopsPerLoop; picks++) {
      if (picks > MAX_PICKS_PER_LOOP)
        throw new Error('no routes found between random points of the road network')
      const closing = legs.length === options.stopsPerLoop - 1
      const to = closing ? points[0]! : pickPoint()
      const from = points[points.length - 1]!
      const route = await router.route([from, to]).catch((error: unknown) => {
        if (error instanceof GeoError) return undefined
        throw error
      })
      // A closing leg that fails would leave the loop open: start the loop over instead.
      if (!route) {
        if (closing) {
          points.splice(1)
          legs.splice(0)
        }
        continue
      }
      const path = buildDrivePath(route.geometry.coordinates, options.roadSpeedAt, {
        brakingMs2: options.brakingMs2,
        nominalDurationS: route.durationS,
      })
      legs.push(path)
      points.push(to)
    }
    loops.push({ id: `loop-${String(n + 1).padStart(3, '0')}`, legs })
  }
  return loops
}

/** `sim-0001`, `sim-0002`, …: never a fixture bus id. */
function loadBusId(index: number): string {
  return `sim-${String(index + 1).padStart(4, '0')}`
}

/**
 * `busCount` buses spread over the loops, each starting at a random stop of its loop at a random
 * moment within the first minute and report interval, and driving it round until stopped.
 */
function planLoadFleet(
  loops: readonly LoadLoop[],
  options: { busCount: number; startMs: number; reportIntervalS: number; random: SeededRandom },
): BusPlan[] {
  const { random } = options
  return Array.from({ length: options.busCount }, (_, index) => {
    const loop = loops[index % loops.length]!
    const first = random.int(0, loop.legs.length - 1)
    const legs = [...loop.legs.slice(first), ...loop.legs.slice(0, first)]
    const activities: Activity[] = [
      { kind: 'wait', untilMs: options.startMs + random.int(0, MAX_FIRST_WAIT_S) * 1000, warmUpS: 0 },
    ]
    legs.forEach((path, i) => {
      activities.push(
        { kind: 'drive', path },
        {
          kind: 'call',
          call: {
            tripId: loop.id,
            stopId: `${loop.id}-stop-${((first + i + 1) % legs.length) + 1}`,
            stopIndex: (first + i + 1) % legs.length,
            pupilCount: random.int(0, MAX_PUPILS_PER_STOP),
            boardingFromMs: undefined,
            departNotBeforeMs: undefined,
            scheduledArriveMs: null,
            scheduledDepartMs: null,
          },
        },
      )
    })
    const start = legs[0]!
    return {
      busId: loadBusId(index),
      start: { lat: start.lat[0]!, lon: start.lon[0]!, headingDeg: start.headingDeg[0] ?? 0 },
      wakeMs: options.startMs,
      activities,
      repeat: true,
      phaseMs: Math.floor(random.next() * options.reportIntervalS * 1000),
    }
  })
}

/**
 * Load mode: `busCount` buses (`sim-0001`, …) on `loopCount` random tours of the network from
 * `startMs`, one simulation for the whole run.
 */
export async function prepareLoadSimulation(
  network: RoadNetwork,
  router: Router,
  settings: SimulationSettings,
  options: {
    busCount: number
    loopCount: number
    startMs: number
    /** The graph of the roads the router drives on; built from `network` when not given. */
    roadGraph?: RoadGraph
    /** Told of every fault the buses went through, as it ends (injected-fault.ts). */
    onFault?: RecordFault
  },
): Promise<SimulationSource> {
  const random = createSeededRandom(settings.seed).fork('load')
  const loops = await prepareLoadLoops(network, router, {
    loopCount: options.loopCount,
    stopsPerLoop: STOPS_PER_LOOP,
    random: random.fork('loops'),
    roadSpeedAt: createRoadSpeedLookup(options.roadGraph ?? buildRoadGraph(network)),
    brakingMs2: settings.driving.brakingMs2,
  })
  const plans = planLoadFleet(loops, {
    busCount: options.busCount,
    startMs: options.startMs,
    reportIntervalS: settings.driving.reportIntervalS,
    random: random.fork('plans'),
  })
  const [lon, lat] = network.ways[0]!.coords[0]!
  const simulation = createFleetSimulation({
    plans,
    settings,
    ...createRoadConditions(network, settings, { origin: { lat, lon }, trafficHotspots: [] }),
    onFault: options.onFault,
  })
  return { busIds: simulation.busIds, simulationAt: () => simulation }
}
