import { installSimulatedTerminalCodes } from '../../workers/simulator/install-terminal-codes.js'
import type { Jt808Bus } from '../../workers/simulator/jt808-publisher.js'
import { simulatedRegisters } from '../../workers/simulator/register-simulation.js'
import { startSimulator, type SimulatorTransport } from '../../workers/simulator/start-simulator.js'
import type { ProcessContext } from './process-context.js'
import type { StartPart } from './running-part.js'

/**
 * The simulator part: the buses of the registers in the store (the Cixi fixture world's in the
 * demo) drive today's trips and send their telemetry as their terminals would (SIMULATOR_FLEET=cixi):
 * to the broker over MQTT, or to the JT/T 808 gateway (SIMULATOR_PROTOCOL=jt808). The registers are
 * read once, at start. With DEMO=off it runs only when PARTS names it.
 */
export const startSimulatorPart: StartPart<'simulator'> = async (context, before) => {
  const { config } = context
  const log = context.log.child('simulator')
  if (config.SIMULATOR_FLEET !== 'cixi') {
    log.info('simulator: SIMULATOR_FLEET=off, no bus is simulated')
    return { stop: async () => {} }
  }
  const routing = await context.routing()
  const registers = await context.registers({ registers: simulatedRegisters })
  if (registers.buses.length === 0) {
    log.warn(
      'the store holds no buses (DEMO=off seeds nothing; npm run seed loads the Cixi world, or import ' +
        'the registers): no bus is simulated',
    )
  }
  const transport =
    config.SIMULATOR_PROTOCOL === 'jt808'
      ? await jt808Transport(
          context,
          registers.buses.map((bus) => ({ busId: bus.code, terminalNo: bus.terminalNo, plate: bus.plate })),
          before.jt808?.url,
        )
      : mqttTransport(context)
  const simulator = await startSimulator({
    registers,
    roads: routing.network,
    router: routing.router,
    roadGraph: routing.graph,
    transport,
    clock: context.clock,
    log,
    simulation: { seed: config.SIMULATOR_SEED },
  })
  log.info(
    `simulator: the ${registers.buses.length} buses of the registers drive their trips in real time, ` +
      `reporting over ${transport.protocol === 'jt808' ? 'JT/T 808' : 'MQTT'} (SIMULATOR_FLEET=off stops it)`,
  )
  return { stop: () => simulator.stop() }
}

function mqttTransport(context: ProcessContext): SimulatorTransport {
  const { broker, tokens } = context
  if (!broker) throw new Error('the simulator part runs without a broker')
  return {
    protocol: 'mqtt',
    mqttUrl: broker.url,
    // Asked for again at each reconnection, so ordinary, expiring tokens do.
    passwordFor: async (busId) =>
      broker.embedded ? tokens.issue({ role: 'device', sub: `terminal-${busId}`, busId }) : undefined,
  }
}

/**
 * The gateway of this process (`gatewayUrl`, where it really listens), or else the one on
 * HOST:JT808_PORT. A bus with a credential gets a new one, once, as a bureau installs one in a
 * terminal (the old token cannot be read back from the store); the others register.
 */
async function jt808Transport(
  context: ProcessContext,
  buses: { busId: string; terminalNo: string | null; plate: string }[],
  gatewayUrl: string | undefined,
): Promise<SimulatorTransport> {
  const { config } = context
  const log = context.log.child('simulator')
  const withTerminal = buses.filter((bus): bus is Jt808Bus => bus.terminalNo !== null)
  if (withTerminal.length < buses.length) {
    log.warn(
      `${buses.length - withTerminal.length} buses have no terminal number in the registers: ` +
        'they are not simulated over JT/T 808',
    )
  }
  // `tcp://HOST:PORT`: the port is what follows the last colon, whatever HOST is.
  const port = gatewayUrl ? Number(gatewayUrl.slice(gatewayUrl.lastIndexOf(':') + 1)) : config.JT808_PORT
  if (port === 0) {
    throw new Error('SIMULATOR_PROTOCOL=jt808 without the jt808 part here needs the gateway’s JT808_PORT')
  }
  const codes = await installSimulatedTerminalCodes({
    db: context.db,
    sessions: context.tokens.sessions,
    audit: context.audit,
    clock: context.clock,
    busIds: withTerminal.map((bus) => bus.busId),
  })
  return {
    protocol: 'jt808',
    host: connectableHost(config.HOST),
    port,
    buses: withTerminal,
    authCodeFor: (busId) => codes.get(busId),
  }
}

/** A wildcard listening address is reached on the loopback. */
function connectableHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host
}
