import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import type { Clock } from '../../server/core/clock/clock.js'
import type { Logger } from '../../server/core/log/logger.js'
import type { FleetSimulation } from './fleet-simulation.js'
import type { SimulatedReport } from './simulated-report.js'

/** Simulated time skipped at once when catching up, between which other work gets the event loop. */
const CATCH_UP_CHUNK_MS = 10 * 60 * 1000

/**
 * Keeps a simulation level with a clock: every `tickMs` it simulates up to the clock's now and
 * hands over what the broker receives meanwhile. A simulation that starts before now is first run
 * through the past silently, in chunks, so a bus is where its day has taken it; its terminals then
 * announce their limiter states, which the skipped reports carried. The clock can be
 * the system clock, one that runs faster, or a test's.
 */
export async function runInRealTime(options: {
  /** The simulation for this instant: a new one (a new service day) replaces the last. */
  simulationAt(now: Date): FleetSimulation
  deliver(reports: SimulatedReport[]): void
  clock: Clock
  tickMs: number
  log: Logger
}): Promise<{ stop(): Promise<void> }> {
  let current: FleetSimulation | undefined
  let simulatedToMs = 0
  let stopped = false
  let timer: NodeJS.Timeout | undefined

  const catchUp = async (simulation: FleetSimulation, toMs: number) => {
    for (let fromMs = simulation.startMs; fromMs < toMs; fromMs += CATCH_UP_CHUNK_MS) {
      simulation.simulateWindow(new Date(fromMs), new Date(Math.min(toMs, fromMs + CATCH_UP_CHUNK_MS)))
      await yieldToEventLoop()
    }
  }

  const step = async () => {
    const now = options.clock.now()
    if (current && now.getTime() < simulatedToMs) return
    const simulation = options.simulationAt(now)
    if (current) options.deliver(current.simulateWindow(new Date(simulatedToMs), now))
    if (simulation !== current) {
      current = simulation
      await catchUp(simulation, now.getTime())
      simulation.announceLimiters()
    }
    simulatedToMs = now.getTime()
  }

  let running = step()
  await running
  const loop = () => {
    running = step()
      .catch((error: unknown) => options.log.error('simulation step failed', { error: String(error) }))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, options.tickMs)
      })
  }
  timer = setTimeout(loop, options.tickMs)

  return {
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}
