import type { RoadNetwork } from '../../geo/roads/road-network.js'
import type { RoadGraph } from '../../geo/routing/road-graph.js'
import type { Router } from '../../geo/routing/router.js'
import type { Clock } from '../../server/core/clock/clock.js'
import type { Logger } from '../../server/core/log/logger.js'
import type { RegisterSet } from '../../server/core/registers/register-records.js'
import { connectJt808Publisher, type Jt808Bus } from './jt808-publisher.js'
import type { Jt808TerminalTiming } from './jt808-terminal.js'
import { connectReportPublisher, type PublisherStats } from './mqtt-publisher.js'
import { prepareRegisterSimulations } from './register-simulation.js'
import { createPublisherSink, type ReportSink } from './report-sinks.js'
import { runInRealTime } from './run-in-real-time.js'
import type { StopCallEvent } from './simulated-report.js'
import { resolveSimulationSettings, type SimulationOverrides } from './simulation-settings.js'

export interface RunningSimulator {
  stats(): PublisherStats
  /** Stops simulating, waits a moment for the broker to acknowledge what was sent, and disconnects. */
  stop(): Promise<void>
}

/**
 * How the simulated terminals reach the platform. MQTT: one connection per bus to the broker, as its
 * terminal's client id, with `passwordFor(busId)` (a device token on the embedded broker, asked for
 * again at each reconnection; undefined where MQTT_URL carries the credentials). JT/T 808: one TCP
 * connection per bus to the gateway, for the buses that have a terminal number; `authCodeFor`
 * gives the code of a bus whose credential is installed, the others register.
 */
export type SimulatorTransport =
  | { protocol: 'mqtt'; mqttUrl: string; passwordFor(busId: string): Promise<string | undefined> }
  | {
      protocol: 'jt808'
      host: string
      port: number
      buses: readonly Jt808Bus[]
      authCodeFor(busId: string): string | undefined
      timing?: Partial<Jt808TerminalTiming>
    }

/**
 * The registers' school buses driving their timetable on the clock's day, every day, sending their
 * reports as their terminals would, over the transport.
 */
export async function startSimulator(options: {
  /** The buses, their trips and calls, and the pupils who ride them (their stops and trips). */
  registers: RegisterSet
  /** The roads the buses drive on (ROADS_FILE), where coverage holes are placed. */
  roads: RoadNetwork
  router: Router
  /** The graph of the roads the router drives on; built from `roads` when not given. */
  roadGraph?: RoadGraph
  transport: SimulatorTransport
  clock: Clock
  log: Logger
  /** Seed, fault rates and driving; the defaults give a realistic fleet. */
  simulation?: SimulationOverrides
  /** Real milliseconds between simulation steps. */
  tickMs?: number
  onStopCall?: (event: StopCallEvent) => void
}): Promise<RunningSimulator> {
  const { log } = options
  const settings = resolveSimulationSettings(options.simulation)
  const simulations = await prepareRegisterSimulations(
    options.registers,
    { network: options.roads, router: options.router, graph: options.roadGraph },
    settings,
    {
      onStopCall: options.onStopCall,
      onNewDay: (date) => log.info(`simulating ${simulations.busIds.length} school buses on ${date}`),
    },
  )
  const publisher = await connectTransport(options.transport, simulations.busIds, log)

  let run: Awaited<ReturnType<typeof runInRealTime>>
  try {
    run = await runInRealTime({
      simulationAt: simulations.simulationAt,
      deliver: (reports) => publisher.deliver(reports),
      clock: options.clock,
      tickMs: options.tickMs ?? 1000,
      log,
    })
  } catch (error) {
    await publisher.close()
    throw error
  }

  return {
    stats: publisher.stats,
    async stop() {
      await run.stop()
      await publisher.close()
    },
  }
}

async function connectTransport(
  transport: SimulatorTransport,
  busIds: readonly string[],
  log: Logger,
): Promise<ReportSink & { stats(): PublisherStats }> {
  if (transport.protocol === 'jt808') return connectJt808Publisher({ ...transport, log })
  const publisher = await connectReportPublisher({
    mqttUrl: transport.mqttUrl,
    busIds,
    connection: { kind: 'per-bus', passwordFor: transport.passwordFor },
    log,
  })
  return { ...createPublisherSink(publisher), stats: publisher.stats }
}
