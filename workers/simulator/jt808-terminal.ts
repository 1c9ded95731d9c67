import net from 'node:net'
import { decodeFrame, type Jt808Header } from '../../server/core/jt808/decode-frame.js'
import { decodeGeneralReply } from '../../server/core/jt808/decode-general-reply.js'
import type { Jt808Location } from '../../server/core/jt808/decode-location.js'
import type { Jt808Registration } from '../../server/core/jt808/decode-register.js'
import { decodeRegisterReply } from '../../server/core/jt808/decode-register-reply.js'
import { encodeFrame } from '../../server/core/jt808/encode-frame.js'
import { encodeGeneralReply } from '../../server/core/jt808/encode-replies.js'
import {
  encodeAuthenticate,
  encodeHeartbeat,
  encodeLocation,
  encodeLocationBatches,
  encodeLocationQueryReply,
  encodeRegister,
} from '../../server/core/jt808/encode-terminal-messages.js'
import { createFrameSplitter } from '../../server/core/jt808/frame-splitter.js'
import { jt808MessageIds, jt808ReplyResults } from '../../server/core/jt808/message-ids.js'
import type { Logger } from '../../server/core/log/logger.js'

export interface Jt808TerminalStats {
  /** Messages handed over (a batch counts once per frame it takes). */
  sent: number
  acknowledged: number
  /** Refused by the platform as bad or unsupported: not sent again. */
  failed: number
  /** 0x0704 frames of positions kept during a coverage hole. */
  lateBatches: number
  /** Frames sent again, with the same serial, after no answer came in time. */
  resent: number
  /** Connections opened after the first. */
  reconnects: number
  /** Waiting for a connection, or sent and not yet answered. */
  pending: number
}

export interface Jt808TerminalTiming {
  /** A heartbeat goes out when nothing else has for this long. */
  heartbeatIntervalMs: number
  /** The first wait for an answer; the n-th resend waits n + 1 times as long (JT/T 808 §4.4.4). */
  replyTimeoutMs: number
  /** Resends of one frame before the connection is taken for dead and opened again. */
  maxResends: number
  /** Reconnection waits double from `minMs` up to `maxMs`, with jitter so a fleet does not return at once. */
  backoff: { minMs: number; maxMs: number }
}

export const defaultJt808TerminalTiming: Jt808TerminalTiming = {
  heartbeatIntervalMs: 30_000,
  replyTimeoutMs: 10_000,
  maxResends: 3,
  backoff: { minMs: 1000, maxMs: 60_000 },
}

export interface Jt808Terminal {
  /** Sends one position as 0x0200; resolves once answered: true when taken, false when refused or abandoned. */
  sendLocation(location: Jt808Location): Promise<boolean>
  /** Sends positions kept without coverage as 0x0704 type 1, in as many frames as they need. */
  sendLateLocations(locations: readonly Jt808Location[]): Promise<boolean>
  /** Resolves once everything handed over so far is answered or refused. */
  idle(): Promise<void>
  stats(): Jt808TerminalStats
  /** The code the terminal authenticates with; null until it has one. */
  authCode(): string | null
  /** Connected and authenticated now. */
  online(): boolean
  /** Closes the connection and stops reconnecting; what is unanswered is abandoned. */
  close(): Promise<void>
}

interface Outgoing {
  messageId: number
  body: Buffer
  /** Given at the first send and kept for every resend, across connections too. */
  serial: number | null
  attempts: number
  timer: NodeJS.Timeout | undefined
  /** Authentication and heartbeats belong to one connection; data survives it. */
  data: boolean
  settle(ok: boolean): void
}

const maxFrameBytes = 4096

/**
 * One JT/T 808 terminal over TCP, as a school bus's GPS terminal behaves: it registers (0x0100)
 * when it has no auth code and keeps the code it is given, authenticates (0x0102) on every
 * connection, sends heartbeats when idle, and sends positions in order, each frame sent again with
 * its serial when unanswered; after `maxResends` it drops the connection and reconnects with
 * backoff, sending again whatever is unanswered. Platform commands are answered with 0x0001, a
 * position query (0x8201) with the last position reported (0x0201).
 */
export function startJt808Terminal(options: {
  host: string
  port: number
  terminalNumber: string
  version?: 2013 | 2019
  registration: Jt808Registration
  /** The code from an earlier registration or installed by the bureau; absent, the terminal registers. */
  authCode?: string
  onAuthCode?(authCode: string): void
  timing?: Partial<Jt808TerminalTiming>
  log: Logger
}): Jt808Terminal {
  const timing = { ...defaultJt808TerminalTiming, ...options.timing }
  const version = options.version ?? 2013
  const log = options.log
  let authCode = options.authCode ?? null
  let nextSerial = 0
  let socket: net.Socket | undefined
  let online = false
  let closed = false
  let failedConnections = 0
  let connections = 0
  let reconnectTimer: NodeJS.Timeout | undefined
  let lastSentAtMs = 0
  /** Where the bus was last reported: what a position query (0x8201) is answered with. */
  let lastLocation: Jt808Location | undefined
  /** Data waiting for a connection, in order. */
  let queue: Outgoing[] = []
  /** Sent on this connection and not yet answered, by serial. */
  const inFlight = new Map<number, Outgoing>()
  let idleWaiters: (() => void)[] = []
  const stats: Jt808TerminalStats = {
    sent: 0,
    acknowledged: 0,
    failed: 0,
    lateBatches: 0,
    resent: 0,
    reconnects: 0,
    pending: 0,
  }

  const settleIdle = () => {
    if (stats.pending > 0) return
    const waiting = idleWaiters
    idleWaiters = []
    for (const resolve of waiting) resolve()
  }

  const write = (outgoing: Outgoing) => {
    if (!socket) return
    outgoing.serial ??= takeSerial()
    const frame = encodeFrame(
      {
        messageId: outgoing.messageId,
        terminalNumber: options.terminalNumber,
        serial: outgoing.serial,
        version,
      },
      outgoing.body,
    )
    inFlight.set(outgoing.serial, outgoing)
    socket.write(frame)
    lastSentAtMs = Date.now()
    clearTimeout(outgoing.timer)
    outgoing.timer = setTimeout(() => onNoAnswer(outgoing), timing.replyTimeoutMs * (outgoing.attempts + 1))
    outgoing.attempts++
  }

  const takeSerial = () => {
    const serial = nextSerial
    nextSerial = (nextSerial + 1) & 0xffff
    return serial
  }

  const onNoAnswer = (outgoing: Outgoing) => {
    if (outgoing.attempts > timing.maxResends) {
      log.warn('JT/T 808 platform does not answer: reconnecting', {
        terminal: options.terminalNumber,
        messageId: outgoing.messageId,
      })
      socket?.destroy()
      return
    }
    stats.resent++
    write(outgoing)
  }

  const control = (messageId: number, body: Buffer, settle: (ok: boolean) => void = () => {}) =>
    write({ messageId, body, serial: null, attempts: 0, timer: undefined, data: false, settle })

  const authenticate = () =>
    control(
      jt808MessageIds.authenticate,
      encodeAuthenticate({ authCode: authCode!, version, imei: options.terminalNumber.slice(-15) }),
      (ok) => {
        if (ok) {
          online = true
          failedConnections = 0
          for (const outgoing of queue.splice(0)) write(outgoing)
          return
        }
        // The code was replaced (a credential rotated): register again for a new one.
        log.warn('JT/T 808 authentication refused: registering again', { terminal: options.terminalNumber })
        authCode = null
        socket?.destroy()
      },
    )

  const register = () =>
    control(jt808MessageIds.register, encodeRegister(options.registration, version), () => socket?.destroy())

  const onFrame = (header: Jt808Header, body: Buffer) => {
    if (header.messageId === jt808MessageIds.platformGeneralReply) {
      const reply = decodeGeneralReply(body)
      const outgoing = inFlight.get(reply.replySerial)
      if (!outgoing || outgoing.messageId !== reply.replyId) return
      inFlight.delete(reply.replySerial)
      clearTimeout(outgoing.timer)
      const ok = reply.result === jt808ReplyResults.ok || reply.result === jt808ReplyResults.alarmHandled
      if (!outgoing.data) return outgoing.settle(ok)
      if (reply.result === jt808ReplyResults.failed) {
        // The platform could not take it now (its store, say): the same frame again after a wait.
        outgoing.timer = setTimeout(() => write(outgoing), timing.replyTimeoutMs)
        inFlight.set(reply.replySerial, outgoing)
        return
      }
      outgoing.settle(ok)
      return
    }
    if (header.messageId === jt808MessageIds.registerReply) {
      const reply = decodeRegisterReply(body)
      const outgoing = inFlight.get(reply.replySerial)
      if (!outgoing || outgoing.messageId !== jt808MessageIds.register) return
      inFlight.delete(reply.replySerial)
      clearTimeout(outgoing.timer)
      if (reply.authCode === null) {
        log.warn('JT/T 808 registration refused', { terminal: options.terminalNumber, result: reply.result })
        socket?.destroy()
        return
      }
      authCode = reply.authCode
      options.onAuthCode?.(reply.authCode)
      authenticate()
      return
    }
    if (!socket) return
    if (header.messageId === jt808MessageIds.locationQuery && lastLocation) {
      socket.write(
        encodeFrame(
          {
            messageId: jt808MessageIds.locationQueryReply,
            terminalNumber: options.terminalNumber,
            serial: takeSerial(),
            version,
          },
          encodeLocationQueryReply(header.serial, lastLocation),
        ),
      )
      return
    }
    // A command: the terminal says it took it (it keeps no parameters a simulation would use).
    socket.write(
      encodeFrame(
        {
          messageId: jt808MessageIds.terminalGeneralReply,
          terminalNumber: options.terminalNumber,
          serial: takeSerial(),
          version,
        },
        encodeGeneralReply({
          replySerial: header.serial,
          replyId: header.messageId,
          result: jt808ReplyResults.ok,
        }),
      ),
    )
  }

  const connect = () => {
    reconnectTimer = undefined
    if (closed) return
    if (connections++ > 0) stats.reconnects++
    const splitter = createFrameSplitter({ maxFrameBytes })
    const current = net.connect({ host: options.host, port: options.port })
    socket = current
    current.setNoDelay(true)
    current.on('connect', () => {
      lastSentAtMs = Date.now()
      if (authCode) authenticate()
      else register()
    })
    current.on('data', (chunk) => {
      for (const item of splitter.push(chunk)) {
        if (item.kind !== 'frame') continue
        const frame = decodeFrame(item.bytes)
        if (!frame.ok) continue
        try {
          onFrame(frame.header, frame.body)
        } catch (error) {
          log.warn('JT/T 808 terminal could not read a platform message', { error: String(error) })
        }
      }
    })
    current.on('error', () => {})
    current.on('close', () => {
      if (socket !== current) return
      socket = undefined
      if (!online) failedConnections++
      online = false
      // Unanswered data goes first on the next connection, in the order it was handed over.
      const unanswered = [...inFlight.values()].filter((outgoing) => outgoing.data)
      for (const outgoing of inFlight.values()) clearTimeout(outgoing.timer)
      inFlight.clear()
      for (const outgoing of unanswered) outgoing.attempts = 0
      queue = [...unanswered, ...queue]
      if (closed) return
      const ceilingMs = Math.min(
        timing.backoff.maxMs,
        timing.backoff.minMs * 2 ** Math.min(failedConnections, 16),
      )
      reconnectTimer = setTimeout(connect, ceilingMs / 2 + Math.random() * (ceilingMs / 2))
    })
  }

  const beat = () => {
    if (online && Date.now() - lastSentAtMs >= timing.heartbeatIntervalMs) {
      control(jt808MessageIds.heartbeat, encodeHeartbeat())
    }
  }
  const heartbeatTimer = setInterval(beat, Math.max(50, timing.heartbeatIntervalMs / 4))

  const send = (messageId: number, body: Buffer) =>
    new Promise<boolean>((resolve) => {
      stats.sent++
      stats.pending++
      const outgoing: Outgoing = {
        messageId,
        body,
        serial: null,
        attempts: 0,
        timer: undefined,
        data: true,
        settle: (ok) => {
          stats.pending--
          if (ok) stats.acknowledged++
          else stats.failed++
          resolve(ok)
          settleIdle()
        },
      }
      if (online) write(outgoing)
      else queue.push(outgoing)
    })

  connect()

  return {
    sendLocation(location) {
      lastLocation = location
      return send(jt808MessageIds.location, encodeLocation(location))
    },
    async sendLateLocations(locations) {
      const bodies = encodeLocationBatches({ type: 1, locations })
      stats.lateBatches += bodies.length
      const answers = await Promise.all(bodies.map((body) => send(jt808MessageIds.locationBatch, body)))
      return answers.every(Boolean)
    },
    idle: () =>
      stats.pending === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve)),
    stats: () => ({ ...stats }),
    authCode: () => authCode,
    online: () => online,
    async close() {
      closed = true
      clearTimeout(reconnectTimer)
      clearInterval(heartbeatTimer)
      const abandoned = [...queue.splice(0), ...inFlight.values()].filter((outgoing) => outgoing.data)
      for (const outgoing of inFlight.values()) clearTimeout(outgoing.timer)
      inFlight.clear()
      for (const outgoing of abandoned) outgoing.settle(false)
      const current = socket
      if (!current) return
      await new Promise<void>((resolve) => {
        current.once('close', () => resolve())
        current.end()
        setTimeout(() => current.destroy(), 1000).unref()
      })
    },
  }
}
