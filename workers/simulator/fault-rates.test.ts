import { describe, expect, it } from 'vitest'
import { buildRoadGraph } from '../../geo/routing/road-graph.js'
import { createGraphRouter } from '../../geo/routing/graph-router.js'
import { prepareLoadSimulation } from './load-fleet.js'
import { createRingRoadNetwork } from './ring-road-network.js'
import { createRoadSpeedLookup } from './road-speed-lookup.js'
import type { GpsReport, LimiterState, SimulatedReport } from './simulated-report.js'
import { noFaults, resolveSimulationSettings, type FaultRates } from './simulation-settings.js'

const network = createRingRoadNetwork()
const router = createGraphRouter(network)
const roadSpeedAt = createRoadSpeedLookup(buildRoadGraph(network))
const START_MS = Date.parse('2026-03-02T09:00:00+08:00')
const BUS_COUNT = 20
const HOURS = 1.5

/** 20 buses for an hour and a half on the ring, every road an arterial, with the given faults only. */
async function simulate(faults: Partial<FaultRates>): Promise<SimulatedReport[]> {
  const settings = resolveSimulationSettings({ seed: 21, faults: { ...noFaults, ...faults } })
  const source = await prepareLoadSimulation(network, router, settings, {
    busCount: BUS_COUNT,
    loopCount: 6,
    startMs: START_MS,
  })
  return source
    .simulationAt(new Date(START_MS))
    .simulateWindow(new Date(START_MS), new Date(START_MS + HOURS * 3_600_000))
}

const tsMs = (ts: string | number) => (typeof ts === 'number' ? ts : Date.parse(ts))
/** Poisson or binomial counts fall within four standard deviations of their mean. */
const expectCountNear = (observed: number, expected: number, variance: number) =>
  expect(Math.abs(observed - expected)).toBeLessThanOrEqual(4 * Math.sqrt(variance) + 1)

function byBus(reports: SimulatedReport[]) {
  const buses = new Map<string, { fixes: GpsReport[]; limiter: { atMs: number; state: LimiterState }[] }>()
  for (const report of reports) {
    const bus = buses.get(report.busId) ?? { fixes: [], limiter: [] }
    buses.set(report.busId, bus)
    if (report.kind === 'gps') bus.fixes.push(report.payload)
    else bus.limiter.push({ atMs: tsMs(report.payload.ts), state: report.payload.state })
  }
  for (const bus of buses.values()) {
    bus.fixes.sort((a, b) => a.seq - b.seq)
    bus.limiter.sort((a, b) => a.atMs - b.atMs)
  }
  return buses
}

describe('the simulated faults', () => {
  it('repeat and hold up reports at the configured shares, some arriving after newer ones', async () => {
    const reports = await simulate({ duplicateShare: 0.01, lateShare: 0.01 })
    const seen = new Set<string>()
    let repeats = 0
    let late = 0
    let overtaken = 0
    const newestSeq = new Map<string, number>()
    for (const report of reports) {
      const key = `${report.busId} ${JSON.stringify(report.payload)}`
      if (seen.has(key)) {
        repeats++
        continue
      }
      seen.add(key)
      if (report.deliverAtMs - tsMs(report.payload.ts) > 1000) late++
      if (report.kind !== 'gps') continue
      if (report.payload.seq < (newestSeq.get(report.busId) ?? -1)) overtaken++
      newestSeq.set(report.busId, Math.max(report.payload.seq, newestSeq.get(report.busId) ?? -1))
    }
    const originals = seen.size
    expect(originals).toBeGreaterThan(BUS_COUNT * HOURS * 3000)
    expectCountNear(repeats, 0.01 * originals, 0.01 * originals)
    expectCountNear(late, 0.01 * originals, 0.01 * originals)
    expect(overtaken).toBeGreaterThan(0.005 * originals)
  })

  it('switch the limiter off and make it fail at the configured rates per hour of driving, then on again', async () => {
    const faults = {
      limiterDisabledPerDrivingHour: 2,
      limiterFaultPerDrivingHour: 1,
      limiterDisabledS: [120, 300],
      limiterFaultS: [60, 120],
    } as const
    const buses = byBus(await simulate(faults))
    let activeDrivingS = 0
    const started = { disabled: 0, fault: 0 }
    for (const { fixes, limiter } of buses.values()) {
      expect(limiter[0]!.state).toBe('active')
      for (let i = 1; i < limiter.length; i++) {
        const { state, atMs } = limiter[i]!
        if (state !== 'active') {
          started[state]++
          const next = limiter[i + 1]
          const [minS, maxS] = faults[state === 'disabled' ? 'limiterDisabledS' : 'limiterFaultS']
          if (next) {
            expect(next.state).toBe('active')
            expect((next.atMs - atMs) / 1000).toBeGreaterThanOrEqual(minS)
            expect((next.atMs - atMs) / 1000).toBeLessThanOrEqual(maxS + 1)
          }
        }
      }
      let state = 0
      for (const fix of fixes) {
        while (state + 1 < limiter.length && limiter[state + 1]!.atMs <= tsMs(fix.ts)) state++
        if (fix.ignition && limiter[state]!.state === 'active') activeDrivingS++
      }
    }
    const hours = activeDrivingS / 3600
    expect(hours).toBeGreaterThan(BUS_COUNT * HOURS * 0.8)
    expectCountNear(started.disabled, 2 * hours, 2 * hours)
    expectCountNear(started.fault, 1 * hours, 1 * hours)
  })

  it('let some drivers speed on arterials for seconds at a time, past 80 km/h only with the limiter off', async () => {
    const rate = 30
    const buses = byBus(
      await simulate({
        speedingDriverShare: 0.5,
        speedingEpisodesPerArterialHour: rate,
        limiterDisabledPerDrivingHour: 3,
        limiterDisabledS: [300, 900],
      }),
    )
    let speeders = 0
    let episodes = 0
    let speederMovingS = 0
    let above80 = 0
    const lengthsS: number[] = []
    for (const { fixes, limiter } of buses.values()) {
      let run = 0
      let own = 0
      let state = 0
      for (const fix of fixes) {
        const legalKmh = roadSpeedAt(fix.lat, fix.lon, fix.headingDeg).legalKmh
        if (fix.speedKmh > legalKmh + 1.5) run++
        else if (run > 0) {
          own++
          lengthsS.push(run)
          run = 0
        }
        while (state + 1 < limiter.length && limiter[state + 1]!.atMs <= tsMs(fix.ts)) state++
        // A bus at the limiter's 80 km/h reads up to a little more: the speed is measured with noise.
        if (fix.speedKmh > 82) {
          above80++
          expect(limiter[state]!.state).not.toBe('active')
        }
      }
      if (own > 0) {
        speeders++
        episodes += own
        speederMovingS += fixes.filter((f) => f.speedKmh > 0).length
      }
    }
    expectCountNear(speeders, BUS_COUNT / 2, BUS_COUNT / 4)
    // Episodes that begin while braking for a stop or a corner never get past the limit.
    const expected = (rate * speederMovingS) / 3600
    expect(episodes).toBeGreaterThan(0.5 * expected)
    expect(episodes).toBeLessThan(1.1 * expected)
    // An episode lasts 6 to 30 s (the defaults); slowing back down adds a few seconds, and now and
    // then a second episode follows the first at once.
    lengthsS.sort((a, b) => a - b)
    expect(lengthsS[Math.floor(lengthsS.length / 2)]).toBeGreaterThanOrEqual(6)
    expect(lengthsS[Math.floor(lengthsS.length * 0.9)]).toBeLessThanOrEqual(30 + 5)
    expect(above80).toBeGreaterThan(0)
  })

  it('lose fixes in coverage holes, which buffering terminals send late and the others never', async () => {
    const reports = await simulate({ coverageHoleEveryKm: 1, bufferingTerminalShare: 0.5 })
    const buses = byBus(reports)
    let buffering = 0
    const gapsS: number[] = []
    for (const { fixes } of buses.values()) {
      const missing = fixes.at(-1)!.seq + 1 - fixes.length
      if (missing === 0) buffering++
      for (let i = 1; i < fixes.length; i++) {
        if (fixes[i]!.seq !== fixes[i - 1]!.seq + 1)
          gapsS.push((tsMs(fixes[i]!.ts) - tsMs(fixes[i - 1]!.ts)) / 1000)
      }
    }
    expectCountNear(buffering, BUS_COUNT / 2, BUS_COUNT / 4)
    gapsS.sort((a, b) => a - b)
    expect(gapsS.length).toBeGreaterThan(20)
    expect(gapsS[Math.floor(gapsS.length / 2)]).toBeGreaterThan(10)
    expect(gapsS[Math.floor(gapsS.length / 2)]).toBeLessThan(120)
    const heldS = reports.map((r) => (r.deliverAtMs - tsMs(r.payload.ts)) / 1000).filter((s) => s > 5)
    expect(heldS.length).toBeGreaterThan(100)
    expect(Math.max(...heldS)).toBeGreaterThan(20)
  })
})
