import { describe, expect, it } from 'vitest'
import { createSeededRandom } from '../../geo/random/seeded-random.js'
import { haversineM } from '../../geo/routing/earth-distance.js'
import { createGraphRouter } from '../../geo/routing/graph-router.js'
import type { Activity, BusPlan } from './bus-plan.js'
import { chooseRouteDeviations, type DeviationShares } from './choose-route-deviations.js'
import { buildDrivePath } from './drive-path.js'
import { createGridRoadNetwork, gridPlace } from './grid-road-network.js'
import { createRoadSpeedLookup } from './road-speed-lookup.js'
import { applyRouteDeviations } from './route-deviations.js'

const network = createGridRoadNetwork({ columns: 8, rows: 4, blockM: 500 })
const router = createGraphRouter(network)
const roadSpeedAt = createRoadSpeedLookup(router.graph)
/** Trip T1's calls along the main road, 0 to 4 km east; the depot at its first call. */
const calls = [0, 1000, 2500, 4000].map((eastM) => gridPlace(eastM, 0))

async function tripPlan(busId: string): Promise<BusPlan> {
  const activities: Activity[] = []
  for (let i = 0; i < calls.length; i++) {
    if (i > 0) {
      const route = await router.route([calls[i - 1]!, calls[i]!])
      const path = buildDrivePath(route.geometry.coordinates, roadSpeedAt, {
        brakingMs2: 1,
        nominalDurationS: route.durationS,
      })
      activities.push({ kind: 'drive', path })
    }
    activities.push({
      kind: 'call',
      call: {
        tripId: `${busId}-T1`,
        stopId: `ST${i}`,
        stopIndex: i,
        pupilCount: 1,
        boardingFromMs: undefined,
        departNotBeforeMs: undefined,
        scheduledArriveMs: null,
        scheduledDepartMs: null,
      },
    })
  }
  return { busId, start: { ...calls[0]!, headingDeg: 90 }, wakeMs: 0, activities, repeat: false, phaseMs: 0 }
}

async function choose(shares: DeviationShares, seed = 3) {
  const plans = await Promise.all(['B1', 'B2', 'B3', 'B4'].map(tripPlan))
  const chosen = await chooseRouteDeviations(plans, {
    random: createSeededRandom(seed),
    shares,
    router,
    graph: router.graph,
  })
  return { plans, chosen }
}

const nearestM = (lat: number, lon: number, points: readonly [number, number][]) =>
  Math.min(...points.map(([pLon, pLat]) => haversineM(lat, lon, pLat, pLon)))

describe('choosing route deviations for a day', () => {
  it('sends a detour well away from the trip’s path', async () => {
    const { plans, chosen } = await choose({ detour: 1, skipCall: 0, unapprovedStand: 0 })
    expect(chosen.size).toBe(4)
    for (const plan of plans) {
      const [deviation] = chosen.get(plan.busId)!
      expect(deviation?.kind).toBe('detour')
      if (deviation?.kind !== 'detour') continue
      const approved = (await router.route(calls)).geometry.coordinates
      expect(nearestM(deviation.via[0]!.lat, deviation.via[0]!.lon, approved)).toBeGreaterThan(450)
      const { applied } = await applyRouteDeviations(plan, [deviation], {
        router,
        roadSpeedAt,
        brakingMs2: 1,
      })
      const driven = applied[0]!.kind === 'detour' ? applied[0]!.driven : []
      expect(Math.max(...driven.map(([lon, lat]) => nearestM(lat, lon, approved)))).toBeGreaterThan(450)
    }
  })

  it('skips a call between the first and the last', async () => {
    const { chosen } = await choose({ detour: 0, skipCall: 1, unapprovedStand: 0 })
    const skipped = [...chosen.values()].flat()
    expect(skipped).toHaveLength(4)
    for (const deviation of skipped) {
      expect(deviation.kind).toBe('skip_call')
      if (deviation.kind === 'skip_call') expect([1, 2]).toContain(deviation.stopIndex)
    }
  })

  it('stands for minutes far from every call and the depot', async () => {
    const { plans, chosen } = await choose({ detour: 0, skipCall: 0, unapprovedStand: 1 })
    for (const plan of plans) {
      const deviation = chosen.get(plan.busId)?.[0]
      if (deviation?.kind !== 'unapproved_stand') throw new Error('expected a stand')
      expect(deviation.standS).toBeGreaterThanOrEqual(90)
      const { applied } = await applyRouteDeviations(plan, [deviation], {
        router,
        roadSpeedAt,
        brakingMs2: 1,
      })
      const at = applied[0]!.kind === 'unapproved_stand' ? applied[0]!.at : calls[0]!
      expect(
        Math.min(...calls.map((call) => haversineM(call.lat, call.lon, at.lat, at.lon))),
      ).toBeGreaterThan(350)
    }
  })

  it('leaves every trip alone at shares of 0, and chooses the same again for the same seed', async () => {
    expect((await choose({ detour: 0, skipCall: 0, unapprovedStand: 0 })).chosen.size).toBe(0)
    const shares = { detour: 0.3, skipCall: 0.3, unapprovedStand: 0.3 }
    expect([...(await choose(shares, 9)).chosen]).toEqual([...(await choose(shares, 9)).chosen])
  })
})
