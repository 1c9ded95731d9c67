import net from 'node:net'
import type { SessionHolder } from '../../server/core/auth/watch-ended-sessions.js'
import type { ReceivedMessage, TelemetrySource } from '../../server/core/broker/telemetry-source.js'
import type { Clock } from '../../server/core/clock/clock.js'
import type {
  TerminalCommandQueries,
  TerminalCommandResult,
} from '../../server/core/jt808/terminal-commands.js'
import type { Logger } from '../../server/core/log/logger.js'
import { defaultGatewayLimits, type Jt808GatewayLimits } from './gateway-limits.js'
import { copyGatewayStats, createGatewayStats, type Jt808GatewayStats } from './gateway-stats.js'
import type { TerminalAccess } from './terminal-access.js'
import { openTerminalConnection, type TerminalConnection } from './terminal-connection.js'

/**
 * The JT/T 808 gateway as a telemetry source of the ingest: terminals' locations come out as gps
 * messages, and a frame is answered once the ingest acknowledges what it carried. It holds
 * connections opened with device sessions, so an ended credential closes its terminal's connection.
 */
export interface Jt808Gateway extends TelemetrySource, SessionHolder {
  stats(): Jt808GatewayStats
  /** Where it listens, once started. */
  address(): { host: string; port: number } | undefined
}

export function createJt808Gateway(options: {
  host: string
  /** 0 picks a free port. */
  port: number
  access: TerminalAccess
  onMessage(message: ReceivedMessage): void
  clock: Clock
  log: Logger
  limits?: Partial<Jt808GatewayLimits>
  /** The bureau's commands to terminals; without it none are sent. */
  commands?: Pick<
    TerminalCommandQueries,
    'listBusesWithPending' | 'takePending' | 'markSent' | 'recordAnswer' | 'expire'
  >
}): Jt808Gateway {
  const limits = { ...defaultGatewayLimits, ...options.limits }
  const { log } = options
  const stats = createGatewayStats()
  const connections = new Set<TerminalConnection>()
  /** The connection each bus's terminal reports on now, and the bus of each such connection. */
  const byBus = new Map<string, TerminalConnection>()
  const busOf = new Map<TerminalConnection, string>()
  let paused = false
  let closing = false
  const commands = options.commands
  let polling: Promise<void> | undefined
  let pollAgain = false
  /** Buses whose terminal authenticated since the last round: their commands go out at once. */
  const newlyClaimed = new Set<string>()
  let fullRoundDue = false

  const host = {
    stats,
    access: options.access,
    limits,
    clock: options.clock,
    log,
    deliver: (message: ReceivedMessage) => {
      if (!closing) options.onMessage(message)
    },
    claim(connection: TerminalConnection, busId: string) {
      const before = busOf.get(connection)
      if (before !== undefined && before !== busId && byBus.get(before) === connection) byBus.delete(before)
      const older = byBus.get(busId)
      byBus.set(busId, connection)
      busOf.set(connection, busId)
      if (older && older !== connection) older.close('replaced')
      // What waits for this bus goes out now, not at the next poll.
      newlyClaimed.add(busId)
      pollCommands()
    },
    release(connection: TerminalConnection) {
      connections.delete(connection)
      const busId = busOf.get(connection)
      busOf.delete(connection)
      if (busId !== undefined && byBus.get(busId) === connection) byBus.delete(busId)
    },
    isPaused: () => paused,
    answered(commandId: string, result: TerminalCommandResult, detail: string | null) {
      commands
        ?.recordAnswer(commandId, result, detail)
        .catch((error: unknown) =>
          log.warn('a command answer could not be recorded', { commandId, result, error: String(error) }),
        )
    },
  }

  /**
   * Rounds of sending commands, which never overlap (one asked for during a round runs right after
   * it). A full round, every `commandPollMs`, forgets answers too late to wait for, sends what waits
   * for any connected bus and gives up in the store on commands unanswered or never sent in time;
   * between them, a round sends only what waits for the buses that just authenticated, so a fleet
   * reconnecting at once costs a query per round, not a query of every bus per terminal.
   */
  function pollCommands(full = false): void {
    if (full) fullRoundDue = true
    if (!commands || closing) return
    if (polling) {
      pollAgain = true
      return
    }
    polling = (async () => {
      do {
        pollAgain = false
        const round = fullRoundDue
        fullRoundDue = false
        const claimed = [...newlyClaimed]
        newlyClaimed.clear()
        try {
          await sendPendingCommands(commands, round ? null : claimed)
        } catch (error) {
          log.warn('terminal commands could not be sent', { error: String(error) })
        }
      } while (pollAgain && !closing)
    })().finally(() => (polling = undefined))
  }

  /** `onlyBuses` null: a full round. */
  async function sendPendingCommands(
    store: NonNullable<typeof commands>,
    onlyBuses: string[] | null,
  ): Promise<void> {
    if (onlyBuses === null) for (const connection of connections) connection.dropUnanswered()
    const buses = onlyBuses ?? (await store.listBusesWithPending()).filter((busId) => byBus.has(busId))
    const pending = await store.takePending(buses)
    for (const command of pending) {
      const serial = byBus.get(command.busId)?.sendCommand(command)
      if (serial === undefined) {
        await store.recordAnswer(command.id, 'not_connected', 'the terminal disconnected before it was sent')
      } else {
        await store.markSent(command.id, serial)
      }
    }
    if (onlyBuses === null) await store.expire(limits.commandAnswerTimeoutMs)
  }

  const commandTimer = setInterval(() => pollCommands(true), limits.commandPollMs)
  commandTimer.unref()
  // Copies of unanswered commands are due on their own schedule, finer than the store's polling
  // may be: looked for a quarter of T1 apart, one goes out at most that much late.
  const resendCheckMs = Math.max(50, Math.min(limits.commandPollMs, limits.commandResendAfterMs / 4))
  const resendTimer = setInterval(() => {
    for (const connection of connections) connection.resendUnanswered()
  }, resendCheckMs)
  resendTimer.unref()

  const server = net.createServer((socket) => {
    if (closing) {
      socket.destroy()
      return
    }
    stats.accepted++
    connections.add(openTerminalConnection(socket, host))
  })
  server.maxConnections = limits.maxConnections
  server.on('error', (error) => log.warn('JT/T 808 listener error', { error: error.message }))

  const authenticated = () => [...connections].filter((c) => c.state().phase.kind === 'authenticated')

  return {
    start: () =>
      new Promise<void>((resolve, reject) => {
        const refuse = (error: NodeJS.ErrnoException) =>
          reject(
            new Error(
              error.code === 'EADDRINUSE'
                ? `JT/T 808 port ${options.port} is in use: set JT808_PORT`
                : `could not listen on ${options.host}:${options.port}: ${error.message}`,
              { cause: error },
            ),
          )
        server.once('error', refuse)
        server.listen({ port: options.port, host: options.host, backlog: limits.acceptBacklog }, () => {
          server.off('error', refuse)
          stats.listening = true
          resolve()
        })
      }),
    pause() {
      paused = true
      for (const connection of connections) connection.pause()
    },
    resume() {
      paused = false
      for (const connection of connections) connection.resume()
    },
    isConnected: () => server.listening,
    async close() {
      closing = true
      clearInterval(commandTimer)
      clearInterval(resendTimer)
      await polling
      stats.listening = false
      const closed = new Promise<void>((resolve) => {
        if (!server.listening) return resolve()
        server.close(() => resolve())
      })
      for (const connection of [...connections]) connection.close('stopping')
      await closed
    },
    openSessionIds: () =>
      authenticated().flatMap((c) => {
        const { phase } = c.state()
        return phase.kind === 'authenticated' ? [phase.sessionId] : []
      }),
    endSessions(ids) {
      const ended = new Set(ids)
      for (const connection of authenticated()) {
        const { phase } = connection.state()
        if (phase.kind === 'authenticated' && ended.has(phase.sessionId)) connection.close('session_ended')
      }
    },
    stats: () => ({
      ...copyGatewayStats(stats),
      connections: connections.size,
      authenticated: authenticated().length,
    }),
    address() {
      const address = server.address()
      if (!address || typeof address === 'string') return undefined
      return { host: options.host, port: address.port }
    },
  }
}
