import type { CixiWorld } from '../../fixtures/cixi-world.js'
import { buildRoadGraph, type RoadGraph } from '../../geo/routing/road-graph.js'
import type { Router } from '../../geo/routing/router.js'
import { toShanghaiTime } from '../../server/core/clock/shanghai-time.js'
import { planFixtureDay } from './fixture-day-plan.js'
import { prepareFixtureFleet } from './fixture-fleet.js'
import { createFleetSimulation, type FleetSimulation, type SimulationSource } from './fleet-simulation.js'
import { createRoadConditions } from './road-conditions.js'
import { createRoadSpeedLookup } from './road-speed-lookup.js'
import type { StopCallEvent } from './simulated-report.js'
import type { SimulationSettings } from './simulation-settings.js'

/**
 * The Cixi school buses on their timetable, any day: the legs are routed once; each date (in
 * Asia/Shanghai) gets its day plans and random streams of its own, while the roads' coverage
 * holes stay where they are.
 */
export async function prepareFixtureSimulations(
  world: CixiWorld,
  router: Router,
  settings: SimulationSettings,
  options: {
    /** The graph of the roads the router drives on; built from the world's roads when not given. */
    roadGraph?: RoadGraph
    onStopCall?: (event: StopCallEvent) => void
    onNewDay?: (date: string) => void
  } = {},
): Promise<SimulationSource> {
  const fleet = await prepareFixtureFleet(world, router, {
    roadSpeedAt: createRoadSpeedLookup(options.roadGraph ?? buildRoadGraph(world.roads)),
    brakingMs2: settings.driving.brakingMs2,
  })
  const conditions = createRoadConditions(world.roads, settings, {
    origin: world.city.centre,
    trafficHotspots: world.schools.map((school) => school.location),
  })
  let day: { date: string; simulation: FleetSimulation } | undefined
  return {
    busIds: fleet.buses.map((bus) => bus.busId),
    simulationAt(now) {
      const { date } = toShanghaiTime(now)
      if (day?.date !== date) {
        const simulation = createFleetSimulation({
          plans: planFixtureDay(fleet, date),
          settings,
          ...conditions,
          onStopCall: options.onStopCall,
          runLabel: date,
        })
        day = { date, simulation }
        options.onNewDay?.(date)
      }
      return day.simulation
    },
  }
}
