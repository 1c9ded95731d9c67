import type { LatLon } from '../../geo/lat-lon.js'
import type { RoadNetwork } from '../../geo/roads/road-network.js'
import { buildRoadGraph, type RoadGraph } from '../../geo/routing/road-graph.js'
import type { Router } from '../../geo/routing/router.js'
import { toShanghaiTime } from '../../server/core/clock/shanghai-time.js'
import type { RegisterName, RegisterSet } from '../../server/core/registers/register-records.js'
import type { BusPlan } from './bus-plan.js'
import { planFleetDay } from './fleet-day-plan.js'
import { prepareRegisterFleet } from './fleet-from-registers.js'
import { createFleetSimulation, type FleetSimulation, type SimulationSource } from './fleet-simulation.js'
import type { RecordFault } from './injected-fault.js'
import { createRoadConditions } from './road-conditions.js'
import { createRoadSpeedLookup } from './road-speed-lookup.js'
import type { StopCallEvent } from './simulated-report.js'
import type { SimulationSettings } from './simulation-settings.js'

/** The registers a simulation reads: the buses, their trips and calls, the riders, and where all is. */
export const simulatedRegisters: readonly RegisterName[] = [
  'towns',
  'schools',
  'stops',
  'buses',
  'trips',
  'tripCalls',
  'pupils',
]

export interface RegisterSimulationSource extends SimulationSource {
  /** The date's day plans as they would be simulated: to make deviations from before the day runs. */
  planDay(date: string): BusPlan[]
  /** Simulates `date` on these plans instead of its own (ones from planDay with deviations made). */
  useDayPlans(date: string, plans: readonly BusPlan[]): void
}

/**
 * The registers' school buses on their timetable, any day: the legs are routed once; each date (in
 * Asia/Shanghai) gets its day plans, of the trips that run on its weekday, and random streams of
 * its own, while the roads' coverage holes stay where they are. Traffic gathers around the city
 * centre and the schools.
 */
export async function prepareRegisterSimulations(
  registers: RegisterSet,
  roads: { network: RoadNetwork; router: Router; graph?: RoadGraph },
  settings: SimulationSettings,
  options: {
    onStopCall?: (event: StopCallEvent) => void
    onFault?: RecordFault
    onNewDay?: (date: string) => void
  } = {},
): Promise<RegisterSimulationSource> {
  const fleet = await prepareRegisterFleet(registers, roads.router, {
    roadSpeedAt: createRoadSpeedLookup(roads.graph ?? buildRoadGraph(roads.network)),
    brakingMs2: settings.driving.brakingMs2,
  })
  const conditions = createRoadConditions(roads.network, settings, {
    origin: cityCentre(registers, roads.network),
    trafficHotspots: registers.schools.flatMap((school) =>
      school.lat === null || school.lon === null ? [] : [{ lat: school.lat, lon: school.lon }],
    ),
  })
  let day: { date: string; simulation: FleetSimulation } | undefined
  const chosenPlans = new Map<string, readonly BusPlan[]>()
  return {
    busIds: fleet.buses.map((bus) => bus.busId),
    planDay: (date) => planFleetDay(fleet, date),
    useDayPlans(date, plans) {
      chosenPlans.set(date, plans)
      if (day?.date === date) day = undefined
    },
    simulationAt(now) {
      const { date } = toShanghaiTime(now)
      if (day?.date !== date) {
        const simulation = createFleetSimulation({
          plans: chosenPlans.get(date) ?? planFleetDay(fleet, date),
          settings,
          ...conditions,
          onStopCall: options.onStopCall,
          onFault: options.onFault,
          runLabel: date,
        })
        day = { date, simulation }
        options.onNewDay?.(date)
      }
      return day.simulation
    },
  }
}

/** The city's centre, else a town's, else the roads' first point. */
function cityCentre(registers: RegisterSet, network: RoadNetwork): LatLon {
  const town = registers.towns.find((t) => t.kind === 'city') ?? registers.towns[0]
  if (town) return { lat: town.lat, lon: town.lon }
  const [lon, lat] = network.ways[0]?.coords[0] ?? [0, 0]
  return { lat, lon }
}
