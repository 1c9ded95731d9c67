import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { parseRoadNetwork } from '../geo/roads/road-network-schema.js'
import { createGraphRouter } from '../geo/routing/graph-router.js'
import { loadCixiWorld } from '../fixtures/cixi-world.js'
import { createAccessTokens } from '../server/core/auth/access-tokens.js'
import { startEmbeddedBroker } from '../server/core/broker/embedded-broker.js'
import { systemClock } from '../server/core/clock/clock.js'
import { createLogger } from '../server/core/log/logger.js'
import { prepareRegisterSimulations } from '../workers/simulator/register-simulation.js'
import { registersFromCixiWorld } from '../fixtures/cixi-registers.js'
import type { FleetSimulation } from '../workers/simulator/fleet-simulation.js'
import { prepareLoadSimulation } from '../workers/simulator/load-fleet.js'
import { connectReportPublisher } from '../workers/simulator/mqtt-publisher.js'
import type { SimulatedReport } from '../workers/simulator/simulated-report.js'
import { resolveSimulationSettings } from '../workers/simulator/simulation-settings.js'
import { readCommandLine } from '../server/core/cli/command-line.js'

/**
 * The fleet simulator's cost. Load mode: 20,000 buses at 1 Hz on the Cixi roads, simulated second
 * by second as in real time, each report serialised as the publisher does; then the same fleet
 * published through the embedded broker on one shared connection, counting acknowledged reports.
 * Fixture fleet: a whole school day of the 36 buses replayed at once, with how late they reach
 * their stops against the timetable.
 */
readCommandLine({
  usage: `usage: npm run bench:simulator

Takes no options: 20000 buses in load mode, simulated and then published through the embedded
broker, and a whole school day of the 36 fixture buses; prints one JSON line last.`,
  options: {},
})
const BUS_COUNT = 20_000
const MEASURED_S = 30
const BROKER_S = 10
const START_MS = Date.parse('2026-03-02T07:00:00+08:00')

const roadsFile = fileURLToPath(new URL('../fixtures/cixi/roads.json', import.meta.url))
const network = parseRoadNetwork(JSON.parse(await readFile(roadsFile, 'utf8')))
const router = createGraphRouter(network)
const settings = resolveSimulationSettings({ seed: 7 })

let started = performance.now()
const load = await prepareLoadSimulation(network, router, settings, {
  busCount: BUS_COUNT,
  loopCount: 64,
  startMs: START_MS,
  roadGraph: router.graph,
})
const prepareMs = performance.now() - started
const simulation = load.simulationAt(new Date(START_MS))

/** Simulates `seconds` one-second windows from `fromMs`, handing each report to `use`. */
function runSeconds(
  sim: FleetSimulation,
  fromMs: number,
  seconds: number,
  use: (r: SimulatedReport) => void,
) {
  let count = 0
  for (let s = 0; s < seconds; s++) {
    for (const report of sim.simulateWindow(new Date(fromMs + s * 1000), new Date(fromMs + (s + 1) * 1000))) {
      use(report)
      count++
    }
  }
  return count
}

runSeconds(simulation, START_MS, 10, () => undefined)
let bytes = 0
started = performance.now()
const reports = runSeconds(simulation, START_MS + 10_000, MEASURED_S, (report) => {
  bytes += JSON.stringify(report.payload).length
})
const elapsedS = (performance.now() - started) / 1000
const reportsPerSec = reports / elapsedS
console.log(
  `load mode: ${BUS_COUNT} buses at 1 Hz, ${reports} reports in ${elapsedS.toFixed(2)} s: ` +
    `${Math.round(reportsPerSec)} reports/s (${(bytes / reports).toFixed(0)} bytes each), prepared in ${prepareMs.toFixed(0)} ms`,
)

const log = createLogger({ level: 'silent' })
const tokens = createAccessTokens({
  secret: 'bench-secret-bench-secret-bench-secret',
  ttlS: 3600,
  clock: systemClock,
})
const broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, tokens, log })
const publisher = await connectReportPublisher({
  mqttUrl: broker.url,
  busIds: load.busIds,
  connection: {
    kind: 'shared',
    clientId: 'bench',
    password: () => tokens.issue({ role: 'service', sub: 'bench' }),
  },
  log,
})
started = performance.now()
runSeconds(simulation, START_MS + (10 + MEASURED_S) * 1000, BROKER_S, publisher.publish)
await publisher.flush()
const brokerS = (performance.now() - started) / 1000
const brokerReportsPerSec = publisher.stats().acknowledged / brokerS
console.log(
  `through the embedded broker (one shared QoS 1 connection): ${publisher.stats().acknowledged} acknowledged ` +
    `in ${brokerS.toFixed(2)} s: ${Math.round(brokerReportsPerSec)} reports/s`,
)
await publisher.close()
await broker.close()

const world = await loadCixiWorld()
const lateS: number[] = []
const fixture = await prepareRegisterSimulations(
  registersFromCixiWorld(world),
  { network, router, graph: router.graph },
  settings,
  {
    onStopCall: (call) => {
      if (call.event === 'arrive' && call.stopIndex > 0) lateS.push((call.atMs - call.scheduledMs!) / 1000)
    },
  },
)
const day = fixture.simulationAt(new Date('2026-03-02T12:00:00+08:00'))
started = performance.now()
const dayReports = day.simulateWindow(
  new Date('2026-03-02T00:00:00+08:00'),
  new Date('2026-03-03T00:00:00+08:00'),
).length
const dayS = (performance.now() - started) / 1000
lateS.sort((a, b) => a - b)
const lateQuantiles = Object.fromEntries(
  [0.05, 0.25, 0.5, 0.75, 0.95, 1].map((q) => [`p${q * 100}`, lateS[Math.floor(q * (lateS.length - 1))]]),
)
console.log(
  `fixture fleet: a school day of ${fixture.busIds.length} buses, ${dayReports} reports, replayed in ${dayS.toFixed(2)} s; ` +
    `lateness at ${lateS.length} stops after the first (s): ${JSON.stringify(lateQuantiles)}`,
)

console.log(
  JSON.stringify({
    buses: BUS_COUNT,
    reportsPerSec: Math.round(reportsPerSec),
    brokerReportsPerSec: Math.round(brokerReportsPerSec),
    loadPrepareMs: Math.round(prepareMs),
    fixtureDayReplayS: Number(dayS.toFixed(2)),
    fixtureDayReports: dayReports,
    fixtureLatenessS: lateQuantiles,
  }),
)
