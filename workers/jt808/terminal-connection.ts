import type net from 'node:net'
import type { ReceivedMessage } from '../../server/core/broker/telemetry-source.js'
import type { Clock } from '../../server/core/clock/clock.js'
import { Jt808BodyError } from '../../server/core/jt808/body-error.js'
import { createFrameSplitter } from '../../server/core/jt808/frame-splitter.js'
import { jt808ReplyResults } from '../../server/core/jt808/message-ids.js'
import { createSplitAssembler } from '../../server/core/jt808/reassemble-split.js'
import type { TerminalCommand, TerminalCommandResult } from '../../server/core/jt808/terminal-commands.js'
import type { Logger } from '../../server/core/log/logger.js'
import { createTokenBucket } from '../../server/core/token-bucket.js'
import {
  dropUnansweredCommands,
  resendUnansweredCommands,
  sendCommand,
  takeCommandReply,
  takeLocationQueryReply,
} from './command-tracking.js'
import type { ConnectionContext, ConnectionRecord } from './connection-context.js'
import { createConnectionState, routeFrame, type ConnectionState } from './connection-state.js'
import { giveUpStaleSplits, readFrame, requestMissingPackets } from './frame-intake.js'
import { refuseFrame } from './frame-refusal.js'
import { createFrameSender } from './frame-sender.js'
import { formatMessageId, type Jt808CloseReason, type Jt808GatewayStats } from './gateway-stats.js'
import type { Jt808GatewayLimits } from './gateway-limits.js'
import { createIngestDelivery } from './ingest-delivery.js'
import { deliverLocation, deliverLocationBatch } from './location-frames.js'
import type { TerminalAccess } from './terminal-access.js'
import { authenticateTerminal, registerTerminal } from './terminal-login.js'

/** What a connection needs of the gateway that holds it. */
export interface ConnectionHost {
  stats: Jt808GatewayStats
  access: TerminalAccess
  limits: Jt808GatewayLimits
  clock: Clock
  log: Logger
  /** Hands a message to the ingest. */
  deliver(message: ReceivedMessage): void
  /** The connection authenticated as this bus: an older connection of the bus is closed. */
  claim(connection: TerminalConnection, busId: string): void
  /** The connection closed. */
  release(connection: TerminalConnection): void
  /** The ingest asked for back-pressure: sockets are not read. */
  isPaused(): boolean
  /** The terminal answered a command sent on this connection. */
  answered(commandId: string, result: TerminalCommandResult, detail: string | null): void
}

export interface TerminalConnection {
  state(): ConnectionState
  close(reason: Jt808CloseReason): void
  pause(): void
  resume(): void
  /** Sends a command to the authenticated terminal; its serial, or undefined when it cannot be sent. */
  sendCommand(command: TerminalCommand): number | undefined
  /** Stops waiting for answers older than the timeout; the commands' ids. */
  dropUnanswered(): string[]
  /** Sends again the commands whose answer is late; how many copies went out. */
  resendUnanswered(): number
}

const results = jt808ReplyResults

/**
 * One terminal's TCP connection: frames cut from the stream are handled one after another (a
 * location sent right after the authentication waits for it), and every frame is answered as the
 * standard asks, a location only once the ingest has stored it, so a terminal whose reports were
 * lost in a crash hears nothing and sends them again. Whatever one frame is, the next is still read;
 * whatever one terminal does costs it its own budget, never another's.
 */
export function openTerminalConnection(socket: net.Socket, host: ConnectionHost): TerminalConnection {
  const { stats, limits, log, clock } = host
  const nowMs = () => clock.now().getTime()
  const remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`
  const splitter = createFrameSplitter({ maxFrameBytes: limits.maxFrameBytes })
  const assembler = createSplitAssembler({
    maxParts: limits.maxSplitParts,
    timeoutMs: limits.splitTimeoutMs,
    clock,
    resend: { afterMs: limits.splitResendAfterMs, attempts: limits.splitResendAttempts },
  })
  const frameBudget = createTokenBucket(limits.frameBudget, nowMs())
  const floodBudget = createTokenBucket(limits.floodBudget, nowMs())
  const record: ConnectionRecord = {
    state: createConnectionState(),
    peer: undefined,
    closed: false,
    closingAfterDrain: false,
  }
  const isClosed = () => record.closed
  const sender = createFrameSender(socket, stats, isClosed)
  const delivery = createIngestDelivery({ host, answer: sender.answer, isClosed })
  let draining: Promise<void> | undefined
  let backlogPaused = false
  const queue: Buffer[] = []

  const idleMs = limits.heartbeatIntervalS * limits.idleHeartbeats * 1000
  const idleTimer = setTimeout(() => close('idle'), idleMs)
  idleTimer.unref()
  // Looked at a quarter of the wait apart, a request or a giving up comes at most that much late.
  const splitCheckMs = Math.max(50, Math.min(limits.splitResendAfterMs, limits.splitTimeoutMs) / 4)
  let splitTimer: NodeJS.Timeout | undefined

  const connection: TerminalConnection = {
    state: () => record.state,
    close: (reason) => close(reason),
    pause: () => socket.pause(),
    resume: () => {
      idleTimer.refresh()
      if (!backlogPaused && !record.closingAfterDrain) socket.resume()
    },
    sendCommand: (command) => sendCommand(context, command),
    dropUnanswered: () => dropUnansweredCommands(context),
    resendUnanswered: () => resendUnansweredCommands(context),
  }
  const context: ConnectionContext = {
    host,
    connection,
    record,
    remote,
    remoteAddress: socket.remoteAddress ?? '',
    nowMs,
    close,
    send: sender.send,
    sendKept: sender.sendKept,
    repeat: sender.repeat,
    answer: sender.answer,
    deliverThenAnswer: delivery.deliverThenAnswer,
  }

  socket.setNoDelay(true)
  if (host.isPaused()) socket.pause()
  socket.on('data', (chunk: Buffer) => {
    for (const item of splitter.push(chunk)) {
      if (record.closed || record.closingAfterDrain) break
      if (item.kind === 'frame') stats.frames.received++
      if (!frameBudget.take(nowMs())) {
        stats.dropped.rate_limited++
        if (!floodBudget.take(nowMs())) {
          log.warn('closing a terminal that keeps sending over its budget', { remote, ...identity() })
          record.closingAfterDrain = true
          socket.pause()
          void drain().then(() => close('flooding'))
        }
        continue
      }
      if (item.kind === 'dropped') stats.dropped[item.reason]++
      else queue.push(item.bytes)
    }
    if (queue.length > limits.maxQueuedFrames && !backlogPaused) {
      backlogPaused = true
      socket.pause()
    }
    void drain()
  })
  socket.on('error', () => close('socket_error'))
  socket.on('close', () => close('peer'))

  function identity(): Record<string, string> {
    const { phase } = record.state
    return phase.kind === 'authenticated' ? { busId: phase.busId, terminal: phase.terminalNumber } : {}
  }

  function close(reason: Jt808CloseReason): void {
    if (record.closed) return
    record.closed = true
    stats.closed[reason]++
    clearTimeout(idleTimer)
    clearInterval(splitTimer)
    // What was not stored by now is never answered: the terminal sends it again.
    delivery.forgetUnstored()
    queue.length = 0
    host.release(connection)
    socket.end()
    setTimeout(() => socket.destroy(), 1000).unref()
  }

  /** Frames are handled in order; only registration and authentication wait (for the store). */
  function drain(): Promise<void> {
    draining ??= drainQueue().finally(() => (draining = undefined))
    return draining
  }

  async function drainQueue(): Promise<void> {
    try {
      while (queue.length > 0 && !record.closed) {
        const pending = handleFrame(queue.shift()!)
        if (pending) await pending
      }
    } catch (error) {
      log.error('a frame could not be handled; closing the connection', { remote, error: String(error) })
      close('socket_error')
    }
    if (backlogPaused && !record.closed && !record.closingAfterDrain) {
      backlogPaused = false
      if (!host.isPaused()) socket.resume()
    }
  }

  /** While split messages wait for packets, the missing ones are asked for, or the message given up. */
  function watchSplits(): void {
    if (assembler.pendingCount() === 0 || record.closed) {
      clearInterval(splitTimer)
      splitTimer = undefined
      return
    }
    if (splitTimer) return
    splitTimer = setInterval(() => {
      giveUpStaleSplits(context, assembler)
      requestMissingPackets(context, assembler)
      watchSplits()
    }, splitCheckMs)
    splitTimer.unref()
  }

  function handleFrame(bytes: Buffer): Promise<void> | undefined {
    const frame = readFrame(context, assembler, bytes)
    watchSplits()
    if (!frame) return undefined
    const { header, serials } = frame
    const routed = routeFrame(record.state, header)
    record.state = routed.state
    const { route } = routed
    // Refused frames keep no connection open: a stranger cannot hold a socket by sending them.
    if (route.kind !== 'refuse') idleTimer.refresh()
    // A body that does not decode is answered and dead-lettered, whether found at once or by a
    // handler that first waits for the store (registration, authentication).
    const refuseBadBody = (error: unknown): undefined => {
      if (!(error instanceof Jt808BodyError)) throw error
      refuseFrame(context, {
        reason: 'bad_body',
        detail: `${error.reason}: ${error.message}`,
        evidence: frame.evidence,
        header,
        serials,
        result: results.badMessage,
      })
      return undefined
    }
    try {
      switch (route.kind) {
        case 'register':
          return registerTerminal(context, frame).catch(refuseBadBody)
        case 'authenticate':
          return authenticateTerminal(context, frame).catch(refuseBadBody)
        case 'heartbeat':
          sender.answer(frame, results.ok)
          return undefined
        case 'unregister':
          sender.answer(frame, results.ok)
          close('unregistered')
          return undefined
        case 'location':
          deliverLocation(context, frame)
          return undefined
        case 'location_batch':
          deliverLocationBatch(context, frame)
          return undefined
        case 'command_reply':
          takeCommandReply(context, frame)
          return undefined
        case 'location_query_reply':
          takeLocationQueryReply(context, frame)
          return undefined
        case 'terminal_reply':
          return undefined
        case 'unsupported':
          refuseFrame(context, {
            reason: 'unknown_message',
            detail: `message id ${formatMessageId(header.messageId)} is not handled`,
            evidence: frame.evidence,
            header,
            serials,
            result: results.unsupported,
          })
          return undefined
        case 'refuse':
          stats.dropped[route.reason]++
          sender.answer(frame, results.failed)
          return undefined
      }
    } catch (error) {
      return refuseBadBody(error)
    }
  }

  return connection
}
