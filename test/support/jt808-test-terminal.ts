import net from 'node:net'
import { decodeFrame, type Jt808Header } from '../../server/core/jt808/decode-frame.js'
import { decodeGeneralReply } from '../../server/core/jt808/decode-general-reply.js'
import type { Jt808Location } from '../../server/core/jt808/decode-location.js'
import { decodeRegisterReply } from '../../server/core/jt808/decode-register-reply.js'
import { encodeFrame } from '../../server/core/jt808/encode-frame.js'
import { createFrameSplitter } from '../../server/core/jt808/frame-splitter.js'
import { jt808MessageIds } from '../../server/core/jt808/message-ids.js'

/** What the platform sent back, decoded as a terminal reads it. */
export type PlatformReply =
  | { kind: 'general'; header: Jt808Header; replySerial: number; replyId: number; result: number }
  | { kind: 'register'; header: Jt808Header; replySerial: number; result: number; authCode: string | null }
  | { kind: 'other'; header: Jt808Header; body: Buffer }

/**
 * A raw JT/T 808 terminal over a real socket, for tests that need to send anything: frames it
 * builds with the codec's encoder, bytes as they are, several frames in one write or one across
 * writes. It keeps every reply, and waits for the one a test expects.
 */
export async function connectTestTerminal(options: {
  port: number
  host?: string
  terminalNumber: string
  version?: 2013 | 2019
}) {
  const socket = net.connect({ port: options.port, host: options.host ?? '127.0.0.1' })
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  socket.setNoDelay(true)
  const splitter = createFrameSplitter({ maxFrameBytes: 4096 })
  const replies: PlatformReply[] = []
  const waiters: { match(reply: PlatformReply): boolean; resolve(reply: PlatformReply): void }[] = []
  /** Commands a test has taken with `command()`, so each is taken once. */
  const taken = new Set<PlatformReply>()
  let serial = 0
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  socket.on('error', () => {})

  socket.on('data', (chunk: Buffer) => {
    for (const item of splitter.push(chunk)) {
      if (item.kind !== 'frame') continue
      const decoded = decodeFrame(item.bytes)
      if (!decoded.ok) continue
      const reply = readReply(decoded.header, decoded.body)
      replies.push(reply)
      for (const waiter of waiters.splice(0)) {
        if (waiter.match(reply)) waiter.resolve(reply)
        else waiters.push(waiter)
      }
    }
  })

  const frame = (messageId: number, body: Buffer, frameSerial?: number) => {
    const used = frameSerial ?? serial++
    return {
      serial: used,
      bytes: encodeFrame(
        { messageId, terminalNumber: options.terminalNumber, serial: used, version: options.version ?? 2013 },
        body,
      ),
    }
  }

  return {
    socket,
    replies,
    closed,
    /** Builds a frame with the next serial (or the one given), without sending it. */
    frame,
    /** Sends one frame; returns its serial. */
    send(messageId: number, body: Buffer, frameSerial?: number): number {
      const built = frame(messageId, body, frameSerial)
      socket.write(built.bytes)
      return built.serial
    },
    write(bytes: Buffer): void {
      socket.write(bytes)
    },
    /** The reply answering the frame with this serial (already received, or the next to come). */
    replyTo(replySerial: number, timeoutMs = 10_000): Promise<PlatformReply> {
      const match = (reply: PlatformReply) => reply.kind !== 'other' && reply.replySerial === replySerial
      const found = replies.find(match)
      if (found) return Promise.resolve(found)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no reply to serial ${replySerial} within ${timeoutMs} ms`)),
          timeoutMs,
        )
        waiters.push({
          match,
          resolve: (reply) => {
            clearTimeout(timer)
            resolve(reply)
          },
        })
      })
    },
    /** The next platform command with this message id not taken yet (already received, or to come). */
    command(messageId: number, timeoutMs = 10_000): Promise<Extract<PlatformReply, { kind: 'other' }>> {
      type Command = Extract<PlatformReply, { kind: 'other' }>
      const match = (reply: PlatformReply): reply is Command =>
        reply.kind === 'other' && reply.header.messageId === messageId && !taken.has(reply)
      const take = (reply: Command) => {
        taken.add(reply)
        return reply
      }
      const found = replies.find(match)
      if (found) return Promise.resolve(take(found))
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no command 0x${messageId.toString(16)} within ${timeoutMs} ms`)),
          timeoutMs,
        )
        waiters.push({
          match,
          resolve: (reply) => {
            clearTimeout(timer)
            resolve(take(reply as Command))
          },
        })
      })
    },
    isClosed: () => socket.destroyed || socket.readableEnded,
    close(): Promise<void> {
      socket.end()
      return closed
    },
  }
}

export type TestTerminal = Awaited<ReturnType<typeof connectTestTerminal>>

function readReply(header: Jt808Header, body: Buffer): PlatformReply {
  if (header.messageId === jt808MessageIds.platformGeneralReply) {
    return { kind: 'general', header, ...decodeGeneralReply(body) }
  }
  if (header.messageId === jt808MessageIds.registerReply) {
    return { kind: 'register', header, ...decodeRegisterReply(body) }
  }
  return { kind: 'other', header, body }
}

/** A fixed location near the scenario's first stop, `secondsAgo` before `now`. */
export function testLocation(
  now: Date,
  secondsAgo: number,
  patch: Partial<Jt808Location> = {},
): Jt808Location {
  return {
    // BCD times have whole seconds.
    at: new Date(Math.floor(now.getTime() / 1000) * 1000 - secondsAgo * 1000),
    lat: 30.18 + secondsAgo * 1e-5,
    lon: 121.39,
    altitudeM: 8,
    speedKmh: 24.5,
    headingDeg: 45,
    alarmBits: 0,
    statusBits: 0b11,
    alarms: [],
    acc: true,
    fixed: true,
    doorsOpen: [],
    extras: { unknown: [] },
    ...patch,
  }
}

/** The frame with one byte of its body changed: it fails its checksum, and nothing else. */
export function corruptFrame(frame: Buffer): Buffer {
  const copy = Buffer.from(frame)
  for (let i = 14; i < copy.length - 3; i++) {
    const byte = copy[i]!
    const changed = byte ^ 0x01
    const escaped = (b: number) => b === 0x7d || b === 0x7e
    if (!escaped(byte) && !escaped(changed) && !escaped(copy[i - 1]!)) {
      copy[i] = changed
      return copy
    }
  }
  throw new Error('no byte to change')
}
