import { describe, expect, it } from 'vitest'
import { createGraphRouter } from '../../geo/routing/graph-router.js'
import type { InjectedFault } from './injected-fault.js'
import { prepareLoadSimulation } from './load-fleet.js'
import { createRingRoadNetwork } from './ring-road-network.js'
import type { GpsReport, LimiterReport, SimulatedReport } from './simulated-report.js'
import { noFaults, resolveSimulationSettings, type FaultRates } from './simulation-settings.js'

const network = createRingRoadNetwork()
const router = createGraphRouter(network)
const START_MS = Date.parse('2026-03-02T09:00:00+08:00')
const HOUR_MS = 3_600_000

/** 12 buses for an hour on the ring (every road an arterial), with these faults only, and what was recorded. */
async function simulate(faults: Partial<FaultRates>) {
  const recorded: InjectedFault[] = []
  const settings = resolveSimulationSettings({ seed: 8, faults: { ...noFaults, ...faults } })
  const source = await prepareLoadSimulation(network, router, settings, {
    busCount: 12,
    loopCount: 4,
    startMs: START_MS,
    onFault: (fault) => recorded.push(fault),
  })
  const reports = source
    .simulationAt(new Date(START_MS))
    .simulateWindow(new Date(START_MS), new Date(START_MS + HOUR_MS))
  return { reports, recorded }
}

const tsMs = (ts: string | number) => (typeof ts === 'number' ? ts : Date.parse(ts))
const fixesOf = (reports: SimulatedReport[], busId: string): GpsReport[] =>
  reports.flatMap((r) => (r.busId === busId && r.kind === 'gps' ? [r.payload] : []))
const limiterOf = (reports: SimulatedReport[], busId: string): LimiterReport[] =>
  reports.flatMap((r) => (r.busId === busId && r.kind === 'limiter' ? [r.payload] : []))
const ofKind = <K extends InjectedFault['kind']>(faults: InjectedFault[], kind: K) =>
  faults.filter((f): f is Extract<InjectedFault, { kind: K }> => f.kind === kind)

describe('the faults a simulation records', () => {
  it('records each speeding episode with the true speed over the limit, second by second', async () => {
    const { reports, recorded } = await simulate({
      speedingDriverShare: 1,
      speedingEpisodesPerArterialHour: 20,
    })
    const episodes = ofKind(recorded, 'speeding')
    expect(episodes.length).toBeGreaterThan(50)
    for (const episode of episodes) {
      expect(episode.excessKmh).toHaveLength((episode.endMs - episode.startMs) / episode.stepMs + 1)
      expect(Math.max(...episode.excessKmh)).toBeCloseTo(episode.peakKmh - episode.peakLimitKmh, 0)
    }
    // What the terminal reported agrees with the peak, within the GPS's speed noise.
    const clear = episodes.filter((e) => e.peakKmh - e.peakLimitKmh > 5)
    expect(clear.length).toBeGreaterThan(20)
    for (const episode of clear) {
      const during = fixesOf(reports, episode.busId).filter(
        (fix) => tsMs(fix.ts) >= episode.startMs && tsMs(fix.ts) <= episode.endMs,
      )
      expect(Math.abs(Math.max(...during.map((fix) => fix.speedKmh)) - episode.peakKmh)).toBeLessThan(1.5)
    }
  })

  it('records a limiter switched off or failing from its report to the one saying it is active again', async () => {
    const { reports, recorded } = await simulate({
      limiterDisabledPerDrivingHour: 2,
      limiterFaultPerDrivingHour: 1,
      limiterDisabledS: [120, 300],
      limiterFaultS: [60, 120],
    })
    const episodes = ofKind(recorded, 'limiter')
    expect(episodes.length).toBeGreaterThan(10)
    for (const episode of episodes) {
      const states = limiterOf(reports, episode.busId).map((r) => `${r.state}@${tsMs(r.ts)}`)
      expect(states).toContain(`${episode.state}@${episode.startMs}`)
      if (episode.endMs < START_MS + HOUR_MS - 1000) expect(states).toContain(`active@${episode.endMs}`)
      expect(episode.movingMs).toBeLessThanOrEqual(episode.endMs - episode.startMs + 1000)
    }
    expect(episodes.some((e) => e.movingMs > 60_000 && e.maxSpeedKmh > 30)).toBe(true)
  })

  it('cuts a terminal off now and then: nothing is reported meanwhile, then it announces its limiter', async () => {
    const { reports, recorded } = await simulate({ terminalOffPerDrivingHour: 1, terminalOffS: [150, 400] })
    const cuts = ofKind(recorded, 'terminal_off')
    expect(cuts.length).toBeGreaterThan(4)
    for (const cut of cuts) {
      const ended = cut.endMs < START_MS + HOUR_MS - 1000
      if (ended) expect((cut.endMs - cut.startMs) / 1000).toBeGreaterThanOrEqual(150)
      expect((cut.endMs - cut.startMs) / 1000).toBeLessThanOrEqual(401)
      const fixes = fixesOf(reports, cut.busId).map((fix) => tsMs(fix.ts))
      expect(fixes.filter((ms) => ms >= cut.startMs && ms < cut.endMs)).toEqual([])
      expect(fixes.filter((ms) => ms < cut.startMs).at(-1)).toBe(cut.lastSentMs)
      if (ended) {
        expect(fixes).toContain(cut.endMs)
        expect(limiterOf(reports, cut.busId).map((r) => tsMs(r.ts))).toContain(cut.endMs)
      }
    }
  })

  it('records the stretches in coverage holes, lost by some terminals and sent late by the others', async () => {
    const { reports, recorded } = await simulate({ coverageHoleEveryKm: 1, bufferingTerminalShare: 0.5 })
    const gaps = ofKind(recorded, 'coverage_gap')
    expect(gaps.some((gap) => gap.buffered)).toBe(true)
    expect(gaps.some((gap) => !gap.buffered)).toBe(true)
    for (const gap of gaps) {
      const inside = reports.filter(
        (r) =>
          r.busId === gap.busId &&
          r.kind === 'gps' &&
          tsMs(r.payload.ts) >= gap.startMs &&
          tsMs(r.payload.ts) < gap.endMs,
      )
      if (!gap.buffered) expect(inside).toEqual([])
      else {
        expect(inside.length).toBeGreaterThan(0)
        expect(inside.every((r) => r.held && r.deliverAtMs >= gap.endMs)).toBe(true)
      }
    }
  })
})
