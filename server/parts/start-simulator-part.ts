import { simulatedRegisters } from '../../workers/simulator/register-simulation.js'
import { startSimulator } from '../../workers/simulator/start-simulator.js'
import type { StartPart } from './running-part.js'

/**
 * The simulator part: the buses of the registers in the store (the Cixi fixture world's in the
 * demo) drive today's trips and publish their telemetry to the broker as their terminals would
 * (SIMULATOR_FLEET=cixi). The registers are read once, at start. With DEMO=off it runs only when
 * PARTS names it.
 */
export const startSimulatorPart: StartPart<'simulator'> = async (context) => {
  const { config, tokens, broker } = context
  const log = context.log.child('simulator')
  if (config.SIMULATOR_FLEET !== 'cixi') {
    log.info('simulator: SIMULATOR_FLEET=off, no bus is simulated')
    return { stop: async () => {} }
  }
  if (!broker) throw new Error('the simulator part runs without a broker')
  const routing = await context.routing()
  const registers = await context.registers({ registers: simulatedRegisters })
  if (registers.buses.length === 0) {
    log.warn(
      'the store holds no buses (DEMO=off seeds nothing; npm run seed loads the Cixi world, or import ' +
        'the registers): no bus is simulated',
    )
  }
  const simulator = await startSimulator({
    registers,
    roads: routing.network,
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
  log.info(
    `simulator: the ${registers.buses.length} buses of the registers drive their trips in real time ` +
      '(SIMULATOR_FLEET=off stops it)',
  )
  return { stop: () => simulator.stop() }
}
