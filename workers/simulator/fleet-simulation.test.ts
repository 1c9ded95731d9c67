import { describe, expect, it } from 'vitest'
import { createGraphRouter } from '../../geo/routing/graph-router.js'
import { prepareLoadSimulation } from './load-fleet.js'
import { createRingRoadNetwork } from './ring-road-network.js'
import type { SimulatedReport } from './simulated-report.js'
import { resolveSimulationSettings } from './simulation-settings.js'

const network = createRingRoadNetwork()
const router = createGraphRouter(network)
const START_MS = Date.parse('2026-03-02T07:00:00+08:00')
const MINUTE_MS = 60_000

async function loadFleet(seed: number) {
  const settings = resolveSimulationSettings({
    seed,
    faults: { coverageHoleEveryKm: 2, lateShare: 0.02, duplicateShare: 0.02 },
  })
  const source = await prepareLoadSimulation(network, router, settings, {
    busCount: 12,
    loopCount: 4,
    startMs: START_MS,
  })
  return source.simulationAt(new Date(START_MS))
}

const at = (minutes: number) => new Date(START_MS + minutes * MINUTE_MS)

describe('a fleet simulation', () => {
  it('gives the same reports for the same seed, and others for another seed', async () => {
    const first = (await loadFleet(1)).simulateWindow(at(0), at(20))
    const again = (await loadFleet(1)).simulateWindow(at(0), at(20))
    const other = (await loadFleet(2)).simulateWindow(at(0), at(20))
    expect(first.length).toBeGreaterThan(12 * 20 * 50)
    expect(again).toEqual(first)
    expect(other).not.toEqual(first)
  })

  it('gives the same reports second by second as in one window, in delivery order', async () => {
    const whole = (await loadFleet(3)).simulateWindow(at(0), at(20))
    const stepped = await loadFleet(3)
    const bySecond: SimulatedReport[] = []
    for (let s = 0; s < 20 * 60; s++) {
      bySecond.push(
        ...stepped.simulateWindow(new Date(START_MS + s * 1000), new Date(START_MS + (s + 1) * 1000)),
      )
    }
    expect(bySecond).toEqual(whole)
    for (let i = 1; i < whole.length; i++)
      expect(whole[i]!.deliverAtMs).toBeGreaterThanOrEqual(whole[i - 1]!.deliverAtMs)
    expect(whole.every((r) => r.deliverAtMs >= START_MS && r.deliverAtMs < at(20).getTime())).toBe(true)
  })

  it('skips ahead to a later window, keeping what is delivered after it, and never goes back', async () => {
    const whole = (await loadFleet(4)).simulateWindow(at(0), at(20))
    const skipping = await loadFleet(4)
    expect(skipping.simulateWindow(at(0), at(0))).toEqual([])
    const later = skipping.simulateWindow(at(10), at(20))
    expect(later).toEqual(whole.filter((r) => r.deliverAtMs >= at(10).getTime()))
    expect(() => skipping.simulateWindow(at(19), at(21))).toThrow(RangeError)
    expect(() => skipping.simulateWindow(at(22), at(21))).toThrow(RangeError)
  })
})
