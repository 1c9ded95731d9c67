import { startSimulator } from '../../workers/simulator/start-simulator.js'
import { isWorldSeeded } from '../seed/seed-cixi-world.js'
import type { StartPart } from './running-part.js'

/**
 * The simulator part: the Cixi fixture buses drive today's trips and publish their telemetry to the
 * broker as their terminals would (SIMULATOR_FLEET=cixi). With DEMO=off it runs only when PARTS
 * names it.
 */
export const startSimulatorPart: StartPart<'simulator'> = async (context) => {
  const { config, tokens, broker } = context
  const log = context.log.child('simulator')
  if (config.SIMULATOR_FLEET !== 'cixi') {
    log.info('simulator: SIMULATOR_FLEET=off, no bus is simulated')
    return { stop: async () => {} }
  }
  if (!broker) throw new Error('the simulator part runs without a broker')
  if (!(await isWorldSeeded(context.db))) {
    log.warn(
      'the store holds no buses (DEMO=off seeds nothing; npm run seed loads the Cixi world): ' +
        'the ingest refuses the simulated buses as unknown',
    )
  }
  const routing = await context.routing()
  const simulator = await startSimulator({
    world: await context.world(),
    router: routing.router,
    roadGraph: routing.graph,
    mqttUrl: broker.url,
    // Asked for again at each reconnection, so ordinary, expiring tokens do.
    passwordFor: async (busId) =>
      broker.embedded ? tokens.issue({ role: 'device', sub: `terminal-${busId}`, busId }) : undefined,
    clock: context.clock,
    log,
    simulation: { seed: config.SIMULATOR_SEED },
  })
  log.info('simulator: the 36 fixture buses drive their trips in real time (SIMULATOR_FLEET=off stops it)')
  return { stop: () => simulator.stop() }
}
