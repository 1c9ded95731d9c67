import { describe, expect, it } from 'vitest'
import { loadCixiWorld } from '../../fixtures/cixi-world.js'
import { buildRoadGraph } from '../routing/road-graph.js'
import { placeStops } from './place-stops.js'
import { defaultPlanSettings, type PlanPupil } from './plan-model.js'
import { expectValidPlacement } from '../../test/support/stop-placement-checks.js'

describe('placeStops on the Cixi fixture', () => {
  it('serves the riders within their walk limits, in stops within capacity, and accounts for all', async () => {
    const world = await loadCixiWorld()
    const graph = buildRoadGraph(world.roads)
    const riders: PlanPupil[] = world.pupils
      .filter((pupil) => pupil.transport.mode !== 'none')
      .map(({ id, home, grade, schoolId, dismissalWaveId }) => ({
        id,
        home,
        grade,
        schoolId,
        dismissalWaveId,
      }))

    const placement = placeStops(riders, graph, defaultPlanSettings)
    expectValidPlacement(riders, graph, defaultPlanSettings, placement)

    // The fixture's homes cluster in villages and communities along roads: nearly every rider has
    // a stop, and a stop gathers many of them.
    expect(placement.walkM.size).toBeGreaterThan(0.9 * riders.length)
    expect(placement.stops.length).toBeLessThan(riders.length / 8)
    expect(new Set(placement.stops.map((stop) => stop.id)).size).toBe(placement.stops.length)
    expect(new Set(placement.stops.map((stop) => stop.name)).size).toBe(placement.stops.length)
  })
})
