import type { Clock } from '../clock/clock.js'
import type { Jt808Header } from './decode-frame.js'

export type SplitPartResult =
  /** All packets are in: packet 1's header (split cleared: the message is whole) and the bodies joined. */
  | { kind: 'complete'; header: Jt808Header; body: Buffer }
  | { kind: 'pending'; received: number; total: number }
  | { kind: 'dropped'; reason: 'not_split' | 'bad_index' | 'too_many_parts' }

/** A split message given up on: what arrived never completed within the timeout. */
export interface ExpiredSplit {
  terminalNumber: string
  messageId: number
  firstSerial: number
  /** Packet indexes (from 1) that never came, for a resend request (0x8003). */
  missingIndexes: number[]
}

/** A message whose missing packets are worth asking the terminal for again (0x8003). */
export interface ResendRequest extends ExpiredSplit {
  /** The latest packet's header: the request goes out in the terminal's own version and number. */
  header: Jt808Header
}

export interface SplitAssembler {
  add(header: Jt808Header, body: Buffer): SplitPartResult
  /** Forgets the messages whose last packet came more than `timeoutMs` ago, and names them. */
  expire(): ExpiredSplit[]
  /** The messages to ask the terminal for their missing packets now; each is counted as asked. */
  dueResendRequests(): ResendRequest[]
  /** Messages waiting for packets. */
  pendingCount(): number
}

interface Pending {
  header: Jt808Header | null
  terminalNumber: string
  messageId: number
  firstSerial: number
  total: number
  parts: Map<number, Buffer>
  lastPartAtMs: number
  latestHeader: Jt808Header
  /** Resend requests made for the message so far, and when the latest was. */
  requests: number
  lastRequestAtMs: number
}

/**
 * Joins the packets of a split message. Packet i of a message carries serial first + i − 1, so the
 * packets of one message share (terminal, message id, first serial), however they interleave with
 * other messages. `maxPendingMessages` bounds the memory one terminal can hold: past it, the
 * message waiting longest is given up.
 *
 * Terminals on a poor mobile network lose packets, and with one packet the whole message. The
 * missing ones are asked for (up to `resend.attempts` times) as soon as the last packet shows gaps,
 * and again after `resend.afterMs` without a packet or a request.
 */
export function createSplitAssembler(options: {
  maxParts: number
  timeoutMs: number
  clock: Clock
  maxPendingMessages?: number
  /** Without it, missing packets are never asked for. */
  resend?: { afterMs: number; attempts: number }
}): SplitAssembler {
  const { maxParts, timeoutMs, clock, resend } = options
  const maxPending = options.maxPendingMessages ?? 8
  const pending = new Map<string, Pending>()

  function expire(): ExpiredSplit[] {
    const nowMs = clock.now().getTime()
    const expired: ExpiredSplit[] = []
    for (const [key, message] of pending) {
      if (nowMs - message.lastPartAtMs > timeoutMs) {
        pending.delete(key)
        expired.push(describe(message))
      }
    }
    return expired
  }

  function add(header: Jt808Header, body: Buffer): SplitPartResult {
    const { split } = header
    if (!split) return { kind: 'dropped', reason: 'not_split' }
    if (split.total > maxParts) return { kind: 'dropped', reason: 'too_many_parts' }
    if (split.index < 1 || split.index > split.total) return { kind: 'dropped', reason: 'bad_index' }
    expire()
    const firstSerial = (header.serial - (split.index - 1) + 0x10000) & 0xffff
    const key = `${header.terminalNumber}/${header.messageId}/${firstSerial}`
    let message = pending.get(key)
    if (message && message.total !== split.total) {
      // A terminal that restarted its numbering: the new packet starts the message afresh.
      pending.delete(key)
      message = undefined
    }
    if (!message) {
      if (pending.size >= maxPending) pending.delete(oldestKey(pending))
      message = {
        header: null,
        terminalNumber: header.terminalNumber,
        messageId: header.messageId,
        firstSerial,
        total: split.total,
        parts: new Map(),
        lastPartAtMs: 0,
        latestHeader: header,
        requests: 0,
        lastRequestAtMs: 0,
      }
      pending.set(key, message)
    }
    message.parts.set(split.index, Buffer.from(body))
    message.lastPartAtMs = clock.now().getTime()
    message.latestHeader = header
    if (split.index === 1) message.header = header
    if (message.parts.size < message.total) {
      return { kind: 'pending', received: message.parts.size, total: message.total }
    }
    pending.delete(key)
    const bodies = Array.from({ length: message.total }, (_, i) => message.parts.get(i + 1)!)
    return {
      kind: 'complete',
      header: { ...(message.header ?? header), split: null },
      body: Buffer.concat(bodies),
    }
  }

  function dueResendRequests(): ResendRequest[] {
    if (!resend) return []
    const nowMs = clock.now().getTime()
    const due: ResendRequest[] = []
    for (const message of pending.values()) {
      if (message.requests >= resend.attempts) continue
      // The last packet in with gaps before it: what is missing is not merely still on its way.
      const lastPacketShowsGaps = message.requests === 0 && message.parts.has(message.total)
      const quietMs = nowMs - Math.max(message.lastPartAtMs, message.lastRequestAtMs)
      if (!lastPacketShowsGaps && quietMs < resend.afterMs) continue
      message.requests++
      message.lastRequestAtMs = nowMs
      due.push({ ...describe(message), header: message.latestHeader })
    }
    return due
  }

  return { add, expire, dueResendRequests, pendingCount: () => pending.size }
}

function oldestKey(pending: Map<string, Pending>): string {
  let oldest: [string, number] | null = null
  for (const [key, message] of pending) {
    if (!oldest || message.lastPartAtMs < oldest[1]) oldest = [key, message.lastPartAtMs]
  }
  return oldest![0]
}

function describe(message: Pending): ExpiredSplit {
  const missingIndexes: number[] = []
  for (let index = 1; index <= message.total; index++) {
    if (!message.parts.has(index)) missingIndexes.push(index)
  }
  return {
    terminalNumber: message.terminalNumber,
    messageId: message.messageId,
    firstSerial: message.firstSerial,
    missingIndexes,
  }
}
