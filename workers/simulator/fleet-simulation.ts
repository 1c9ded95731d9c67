import { createSeededRandom } from '../../geo/random/seeded-random.js'
import { createBusAgent, type BusAgent } from './bus-agent.js'
import type { BusPlan } from './bus-plan.js'
import type { CoverageHoles } from './coverage-holes.js'
import type { RecordFault } from './injected-fault.js'
import type { SimulatedReport, StopCallEvent } from './simulated-report.js'
import type { SimulationSettings } from './simulation-settings.js'
import type { TrafficModel } from './traffic-model.js'

export interface FleetSimulation {
  readonly busIds: readonly string[]
  /** The first instant any bus does something: simulating from here on misses nothing. */
  readonly startMs: number
  /**
   * Simulates every bus up to `to` and returns the reports the broker receives in [from, to), in
   * delivery order. Windows must follow one another; a `from` beyond the previous `to` skips
   * ahead silently (the buses still drive through the skipped time, so the state is the same),
   * keeping only reports delivered after `from`, such as fixes a terminal buffered.
   */
  simulateWindow(from: Date, to: Date): SimulatedReport[]
  /**
   * Every terminal that is awake reports its limiter state at its next step, as one does when it
   * connects: after skipping ahead, the platform has missed the earlier reports.
   */
  announceLimiters(): void
}

/** Where the simulation for an instant comes from: one for the whole run, or one per service day. */
export interface SimulationSource {
  busIds: readonly string[]
  /** The same object for as long as one simulation covers `now`. */
  simulationAt(now: Date): FleetSimulation
}

interface Queued {
  report: SimulatedReport
  /** Bus, then emission order within the bus: makes the order of equal delivery times stable. */
  busIndex: number
  emitted: number
}

/**
 * The fleet on a simulated clock: pure and deterministic. The same plans, settings and seed give
 * the same reports whether the day is run in one window, second by second in real time, or faster.
 */
export function createFleetSimulation(options: {
  plans: readonly BusPlan[]
  settings: SimulationSettings
  traffic: TrafficModel
  coverage: CoverageHoles
  onStopCall?: (event: StopCallEvent) => void
  /** Told of every fault the buses went through, as it ends (injected-fault.ts). */
  onFault?: RecordFault
  /** Names the run in the random streams: each service date of a long run gets days of its own. */
  runLabel?: string
}): FleetSimulation {
  const root = createSeededRandom(options.settings.seed).fork(`buses:${options.runLabel ?? ''}`)
  let pending: Queued[] = []
  let fresh: Queued[] = []
  let emitted = 0
  const agents: BusAgent[] = options.plans.map((plan, busIndex) =>
    createBusAgent(plan, {
      settings: options.settings,
      traffic: options.traffic,
      coverage: options.coverage,
      random: root.fork(plan.busId),
      emit: (report) => fresh.push({ report, busIndex, emitted: emitted++ }),
      onStopCall: options.onStopCall,
      onFault: options.onFault,
    }),
  )
  let simulatedToMs = -Infinity

  return {
    busIds: agents.map((agent) => agent.busId),
    startMs: agents.reduce((earliest, agent) => Math.min(earliest, agent.nextTickMs), Infinity),
    announceLimiters() {
      for (const agent of agents) agent.announceLimiter()
    },
    simulateWindow(from, to) {
      const fromMs = from.getTime()
      const toMs = to.getTime()
      if (!(toMs >= fromMs)) throw new RangeError(`the window ends (${to.toISOString()}) before it starts`)
      if (fromMs < simulatedToMs) {
        throw new RangeError(
          `the simulation is at ${new Date(simulatedToMs).toISOString()}; it cannot go back`,
        )
      }
      simulatedToMs = toMs
      for (const agent of agents) {
        while (agent.nextTickMs < toMs) agent.tick()
      }
      const due: Queued[] = []
      const later: Queued[] = []
      for (const list of [pending, fresh]) {
        for (const queued of list) {
          if (queued.report.deliverAtMs >= toMs) later.push(queued)
          else if (queued.report.deliverAtMs >= fromMs) due.push(queued)
        }
      }
      pending = later
      fresh = []
      due.sort(
        (a, b) =>
          a.report.deliverAtMs - b.report.deliverAtMs || a.busIndex - b.busIndex || a.emitted - b.emitted,
      )
      return due.map((queued) => queued.report)
    },
  }
}
