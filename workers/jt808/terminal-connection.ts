import type net from 'node:net'
import type { ReceivedMessage } from '../../server/core/broker/telemetry-source.js'
import type { Clock } from '../../server/core/clock/clock.js'
import { Jt808BodyError } from '../../server/core/jt808/body-error.js'
import { decodeAuthenticate } from '../../server/core/jt808/decode-authenticate.js'
import { decodeFrame, type Jt808Header } from '../../server/core/jt808/decode-frame.js'
import { decodeGeneralReply } from '../../server/core/jt808/decode-general-reply.js'
import { decodeLocation } from '../../server/core/jt808/decode-location.js'
import { decodeLocationBatch } from '../../server/core/jt808/decode-location-batch.js'
import { decodeLocationQueryReply } from '../../server/core/jt808/decode-location-query-reply.js'
import { decodeRegister } from '../../server/core/jt808/decode-register.js'
import { encodeFrame } from '../../server/core/jt808/encode-frame.js'
import { encodeGeneralReply, encodeRegisterReply } from '../../server/core/jt808/encode-replies.js'
import { encodeTerminalCommand } from '../../server/core/jt808/encode-terminal-command.js'
import { createFrameSplitter } from '../../server/core/jt808/frame-splitter.js'
import { jt808MessageIds, jt808ReplyResults } from '../../server/core/jt808/message-ids.js'
import { createSplitAssembler } from '../../server/core/jt808/reassemble-split.js'
import {
  commandResultOf,
  type TerminalCommand,
  type TerminalCommandResult,
} from '../../server/core/jt808/terminal-commands.js'
import type { Logger } from '../../server/core/log/logger.js'
import { createTokenBucket } from '../../server/core/token-bucket.js'
import {
  authenticate,
  awaitAnswer,
  createConnectionState,
  dropUnanswered,
  failAttempt,
  routeFrame,
  takeAnswered,
  type ConnectionState,
} from './connection-state.js'
import {
  formatMessageId,
  type Jt808CloseReason,
  type Jt808DropReason,
  type Jt808GatewayStats,
} from './gateway-stats.js'
import type { Jt808GatewayLimits } from './gateway-limits.js'
import { toLocationReport, type LocationReport } from './location-report.js'
import type { TerminalAccess } from './terminal-access.js'

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
}

/** A message for the ingest, before the connection attaches its acknowledgement. */
type Outgoing = Omit<ReceivedMessage, 'ack' | 'redelivered'>

const ids = jt808MessageIds
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
  })
  const frameBudget = createTokenBucket(limits.frameBudget, nowMs())
  const floodBudget = createTokenBucket(limits.floodBudget, nowMs())
  let state = createConnectionState()
  /** The authenticated terminal's header: commands go out in its version and number. */
  let peer: Jt808Header | undefined
  let nextSerial = 0
  let closed = false
  /** Reads no more, and closes once the frames it took are handled. */
  let closingAfterDrain = false
  let draining: Promise<void> | undefined
  let backlogPaused = false
  /** Reports of this connection handed to the ingest and not yet stored. */
  let awaitingStore = 0
  const queue: Buffer[] = []

  const idleMs = limits.heartbeatIntervalS * limits.idleHeartbeats * 1000
  const idleTimer = setTimeout(() => close('idle'), idleMs)
  idleTimer.unref()

  const connection: TerminalConnection = {
    state: () => state,
    close: (reason) => close(reason),
    pause: () => socket.pause(),
    resume: () => {
      idleTimer.refresh()
      if (!backlogPaused && !closingAfterDrain) socket.resume()
    },
    sendCommand(command) {
      if (closed || closingAfterDrain || !peer || state.phase.kind !== 'authenticated') return undefined
      const { messageId, body } = encodeTerminalCommand(command, peer.version)
      const serial = send(peer, messageId, body)
      if (serial === undefined) return undefined
      state = awaitAnswer(state, { commandId: command.id, serial, messageId, sentAtMs: nowMs() })
      stats.commands.sent++
      return serial
    },
    dropUnanswered() {
      const dropped = dropUnanswered(state, nowMs(), limits.commandAnswerTimeoutMs)
      state = dropped.state
      stats.commands.timedOut += dropped.timedOut.length
      return dropped.timedOut
    },
  }

  socket.setNoDelay(true)
  if (host.isPaused()) socket.pause()
  socket.on('data', (chunk: Buffer) => {
    for (const item of splitter.push(chunk)) {
      if (closed || closingAfterDrain) break
      if (item.kind === 'frame') stats.frames.received++
      if (!frameBudget.take(nowMs())) {
        stats.dropped.rate_limited++
        if (!floodBudget.take(nowMs())) {
          log.warn('closing a terminal that keeps sending over its budget', { remote, ...identity() })
          closingAfterDrain = true
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
    const { phase } = state
    return phase.kind === 'authenticated' ? { busId: phase.busId, terminal: phase.terminalNumber } : {}
  }

  function close(reason: Jt808CloseReason): void {
    if (closed) return
    closed = true
    stats.closed[reason]++
    clearTimeout(idleTimer)
    // What was not stored by now is never answered: the terminal sends it again.
    stats.reportsAwaitingStore -= awaitingStore
    awaitingStore = 0
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
      while (queue.length > 0 && !closed) {
        const pending = handleFrame(queue.shift()!)
        if (pending) await pending
      }
    } catch (error) {
      log.error('a frame could not be handled; closing the connection', { remote, error: String(error) })
      close('socket_error')
    }
    if (backlogPaused && !closed && !closingAfterDrain) {
      backlogPaused = false
      if (!host.isPaused()) socket.resume()
    }
  }

  function handleFrame(bytes: Buffer): Promise<void> | undefined {
    const decoded = decodeFrame(bytes)
    if (!decoded.ok) {
      // The header of a frame that fails its checksum cannot be trusted: nothing is answered.
      refuse({ reason: decoded.reason, detail: decoded.reason, evidence: bytes, header: decoded.header })
      return undefined
    }
    let { header, body } = decoded
    const key = formatMessageId(header.messageId)
    stats.frames.byMessageId[key] = (stats.frames.byMessageId[key] ?? 0) + 1
    let serials = [header.serial]
    if (header.encrypted) {
      refuse({
        reason: 'encrypted',
        detail: 'an encrypted body',
        evidence: bytes,
        header,
        result: results.unsupported,
      })
      return undefined
    }
    if (header.split) {
      for (const expired of assembler.expire()) {
        stats.dropped.split_incomplete++
        log.info('a split message never completed', { remote, ...expired })
      }
      const part = assembler.add(header, body)
      if (part.kind === 'dropped') {
        refuse({
          reason: 'bad_split',
          detail: part.reason,
          evidence: bytes,
          header,
          result: results.badMessage,
        })
        return undefined
      }
      if (part.kind === 'pending') return undefined
      // Every packet is answered once the whole message is handled, as a lone frame would be.
      serials = Array.from({ length: header.split.total }, (_, i) => (part.header.serial + i) & 0xffff)
      header = part.header
      body = part.body
    }
    const frame = { header, body, serials, evidence: header.split ? body : bytes }
    const routed = routeFrame(state, header)
    state = routed.state
    const { route } = routed
    // Refused frames keep no connection open: a stranger cannot hold a socket by sending them.
    if (route.kind !== 'refuse') idleTimer.refresh()
    try {
      switch (route.kind) {
        case 'register':
          return register(frame)
        case 'authenticate':
          return authenticateTerminal(frame)
        case 'heartbeat':
          answer(frame, results.ok)
          return undefined
        case 'unregister':
          answer(frame, results.ok)
          close('unregistered')
          return undefined
        case 'location':
          deliverThenAnswer(frame, [report(decodeLocation(body))])
          return undefined
        case 'location_batch':
          return handleBatch(frame)
        case 'command_reply':
          takeCommandReply(frame)
          return undefined
        case 'location_query_reply':
          takeLocationQueryReply(frame)
          return undefined
        case 'terminal_reply':
          return undefined
        case 'unsupported':
          refuse({
            reason: 'unknown_message',
            detail: `message id ${key} is not handled`,
            evidence: frame.evidence,
            header,
            serials,
            result: results.unsupported,
          })
          return undefined
        case 'refuse':
          stats.dropped[route.reason]++
          answer(frame, results.failed)
          return undefined
      }
    } catch (error) {
      if (!(error instanceof Jt808BodyError)) throw error
      refuse({
        reason: 'bad_body',
        detail: `${error.reason}: ${error.message}`,
        evidence: frame.evidence,
        header,
        serials,
        result: results.badMessage,
      })
      return undefined
    }
  }

  type Frame = { header: Jt808Header; body: Buffer; serials: number[]; evidence: Buffer }

  function handleBatch(frame: Frame): undefined {
    const batch = decodeLocationBatch(frame.body)
    const messages: Outgoing[] = batch.locations.map(report)
    if (batch.droppedItems > 0) {
      stats.dropped.bad_body++
      const dead = deadLetter(
        frame.evidence,
        `bad_body: ${batch.droppedItems} locations of the batch could not be read`,
      )
      if (dead) messages.push(dead)
    }
    deliverThenAnswer(frame, messages)
    return undefined
  }

  /** The terminal's 0x0001: answers are not answered. */
  function takeCommandReply(frame: Frame): void {
    const reply = decodeGeneralReply(frame.body)
    const taken = takeAnswered(state, reply)
    state = taken.state
    if (taken.commandId === null) return
    stats.commands.answered++
    const result = commandResultOf(reply.result)
    host.answered(
      taken.commandId,
      result,
      result === 'ok' ? null : `the terminal answered result ${reply.result}`,
    )
  }

  /**
   * 0x0201 is itself the answer to a position query, so nothing goes back; its location is stored
   * like any report, whether or not the query is still awaited.
   */
  function takeLocationQueryReply(frame: Frame): void {
    const { replySerial, location } = decodeLocationQueryReply(frame.body)
    const taken = takeAnswered(state, { replySerial, replyId: ids.locationQuery })
    state = taken.state
    deliverThenAnswer(undefined, [report(location)])
    if (taken.commandId === null) return
    stats.commands.answered++
    host.answered(taken.commandId, 'ok', null)
  }

  function report(location: Parameters<typeof toLocationReport>[1]): LocationReport {
    const { phase } = state
    if (phase.kind !== 'authenticated') throw new Error('a location before authentication')
    return toLocationReport(phase.busId, location)
  }

  async function register(frame: Frame): Promise<void> {
    const { header } = frame
    const registration = decodeRegister(frame.body, header.version)
    let outcome
    try {
      outcome = await host.access.register({
        terminalNumber: header.terminalNumber,
        plate: registration.plate,
        from: socket.remoteAddress ?? '',
      })
    } catch (error) {
      stats.storeErrors++
      log.warn('a registration could not be checked; left unanswered', { remote, error: String(error) })
      return
    }
    if (closed) return
    send(
      header,
      ids.registerReply,
      encodeRegisterReply({
        replySerial: header.serial,
        result: outcome.result,
        ...(outcome.result === 0 ? { authCode: outcome.authCode } : {}),
      }),
    )
    if (outcome.result === 0) {
      stats.registrations.accepted++
      log.info('a terminal registered', { remote, terminal: header.terminalNumber, busId: outcome.busId })
      return
    }
    stats.registrations.refused++
    log.info('a registration was refused', { remote, result: outcome.result, why: outcome.why })
    countFailure()
  }

  async function authenticateTerminal(frame: Frame): Promise<void> {
    const { header } = frame
    const { authCode } = decodeAuthenticate(frame.body, header.version)
    let outcome
    try {
      outcome = await host.access.authenticate({ terminalNumber: header.terminalNumber, authCode })
    } catch (error) {
      stats.storeErrors++
      log.warn('an authentication could not be checked; left unanswered', { remote, error: String(error) })
      return
    }
    if (closed) return
    if (!outcome.ok) {
      stats.authentications.refused++
      log.info('an authentication was refused', { remote, terminal: header.terminalNumber, why: outcome.why })
      answer(frame, results.failed)
      countFailure()
      return
    }
    stats.authentications.accepted++
    state = authenticate(state, {
      busId: outcome.busId,
      terminalNumber: header.terminalNumber,
      sessionId: outcome.sessionId,
    })
    peer = header
    answer(frame, results.ok)
    host.claim(connection, outcome.busId)
  }

  function countFailure(): void {
    const failed = failAttempt(state, limits)
    state = failed.state
    if (failed.close) close('failed_attempts')
  }

  /** A frame that goes no further: counted, kept as a dead letter when the terminal is known, answered when it can be. */
  function refuse(refusal: {
    reason: Jt808DropReason
    detail: string
    evidence: Buffer
    header?: Jt808Header
    serials?: number[]
    result?: number
  }): void {
    stats.dropped[refusal.reason]++
    const { header } = refusal
    const frame: Frame | undefined = header
      ? {
          header,
          body: Buffer.alloc(0),
          serials: refusal.serials ?? [header.serial],
          evidence: refusal.evidence,
        }
      : undefined
    const dead = deadLetter(refusal.evidence, `${refusal.reason}: ${refusal.detail}`)
    if (frame && refusal.result !== undefined) deliverThenAnswer(frame, dead ? [dead] : [], refusal.result)
    else if (dead) deliverThenAnswer(undefined, [dead])
  }

  /**
   * Bad frames become dead letters only from an authenticated terminal: before that, anyone can
   * connect, and what a stranger sends is counted, not stored.
   */
  function deadLetter(evidence: Buffer, detail: string): Outgoing | undefined {
    const { phase } = state
    if (phase.kind !== 'authenticated') return undefined
    return {
      topic: `jt808/${phase.terminalNumber}`,
      payload: evidence,
      rejected: { reason: 'bad_frame', detail },
    }
  }

  /** Hands messages to the ingest and answers the frame once every one of them is stored. */
  function deliverThenAnswer(
    frame: Frame | undefined,
    messages: Outgoing[],
    result: number = results.ok,
  ): void {
    if (messages.length === 0) {
      if (frame) answer(frame, result)
      return
    }
    let waiting = messages.length
    awaitingStore += waiting
    stats.reportsAwaitingStore += waiting
    for (const message of messages) {
      let acked = false
      host.deliver({
        ...message,
        redelivered: false,
        ack: () => {
          // After the connection closed its count is gone, and the terminal sends again.
          if (acked || closed) return
          acked = true
          awaitingStore--
          stats.reportsAwaitingStore--
          if (--waiting === 0 && frame) answer(frame, result)
        },
      })
    }
  }

  function answer(frame: Frame, result: number): void {
    for (const serial of frame.serials) {
      send(
        frame.header,
        ids.platformGeneralReply,
        encodeGeneralReply({ replySerial: serial, replyId: frame.header.messageId, result }),
      )
    }
  }

  /** In the terminal's own version and number, so it reads the answer as it reads its own frames. */
  function send(to: Jt808Header, messageId: number, body: Buffer): number | undefined {
    if (closed || socket.destroyed) return undefined
    const serial = nextSerial
    nextSerial = (nextSerial + 1) & 0xffff
    socket.write(
      encodeFrame(
        {
          messageId,
          terminalNumber: to.terminalNumber,
          serial,
          version: to.version,
          ...(to.protocolVersion === null ? {} : { protocolVersion: to.protocolVersion }),
        },
        body,
      ),
    )
    stats.replies++
    return serial
  }

  return connection
}
