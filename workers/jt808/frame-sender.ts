import type net from 'node:net'
import type { Jt808Header } from '../../server/core/jt808/decode-frame.js'
import { encodeFrame } from '../../server/core/jt808/encode-frame.js'
import { encodeGeneralReply } from '../../server/core/jt808/encode-replies.js'
import { jt808MessageIds } from '../../server/core/jt808/message-ids.js'
import type { ConnectionContext, Frame } from './connection-context.js'
import type { Jt808GatewayStats } from './gateway-stats.js'

/** Frames to one terminal, numbered by the connection's own 16-bit serial. */
export function createFrameSender(
  socket: net.Socket,
  stats: Jt808GatewayStats,
  isClosed: () => boolean,
): Pick<ConnectionContext, 'send' | 'sendKept' | 'repeat' | 'answer'> {
  let nextSerial = 0

  /** In the terminal's own version and number, so it reads the answer as it reads its own frames. */
  function send(to: Jt808Header, messageId: number, body: Buffer): number | undefined {
    return sendKept(to, messageId, body)?.serial
  }

  function sendKept(
    to: Jt808Header,
    messageId: number,
    body: Buffer,
  ): { serial: number; frame: Buffer } | undefined {
    if (isClosed() || socket.destroyed) return undefined
    const serial = nextSerial
    nextSerial = (nextSerial + 1) & 0xffff
    const frame = encodeFrame(
      {
        messageId,
        terminalNumber: to.terminalNumber,
        serial,
        version: to.version,
        ...(to.protocolVersion === null ? {} : { protocolVersion: to.protocolVersion }),
      },
      body,
    )
    socket.write(frame)
    stats.replies++
    return { serial, frame }
  }

  function repeat(frame: Buffer): boolean {
    if (isClosed() || socket.destroyed) return false
    socket.write(frame)
    stats.replies++
    return true
  }

  function answer(frame: Frame, result: number): void {
    for (const serial of frame.serials) {
      send(
        frame.header,
        jt808MessageIds.platformGeneralReply,
        encodeGeneralReply({ replySerial: serial, replyId: frame.header.messageId, result }),
      )
    }
  }

  return { send, sendKept, repeat, answer }
}
