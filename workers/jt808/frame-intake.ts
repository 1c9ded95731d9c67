import { decodeFrame } from '../../server/core/jt808/decode-frame.js'
import { encodeResendRequest, maxResendPacketIds } from '../../server/core/jt808/encode-replies.js'
import { jt808MessageIds, jt808ReplyResults } from '../../server/core/jt808/message-ids.js'
import type { SplitAssembler } from '../../server/core/jt808/reassemble-split.js'
import type { ConnectionContext, Frame } from './connection-context.js'
import { refuseFrame } from './frame-refusal.js'
import { formatMessageId } from './gateway-stats.js'

const results = jt808ReplyResults

/**
 * The frame the bytes cut from the stream carry, a split message once its last packet is in;
 * undefined when a packet leaves the message incomplete or the frame is refused.
 */
export function readFrame(
  ctx: ConnectionContext,
  assembler: SplitAssembler,
  bytes: Buffer,
): Frame | undefined {
  const { stats } = ctx.host
  const decoded = decodeFrame(bytes)
  if (!decoded.ok) {
    // The header of a frame that fails its checksum cannot be trusted: nothing is answered.
    refuseFrame(ctx, {
      reason: decoded.reason,
      detail: decoded.reason,
      evidence: bytes,
      header: decoded.header,
    })
    return undefined
  }
  const { header, body } = decoded
  const key = formatMessageId(header.messageId)
  stats.frames.byMessageId[key] = (stats.frames.byMessageId[key] ?? 0) + 1
  if (header.encrypted) {
    refuseFrame(ctx, {
      reason: 'encrypted',
      detail: 'an encrypted body',
      evidence: bytes,
      header,
      result: results.unsupported,
    })
    return undefined
  }
  if (header.split) {
    giveUpStaleSplits(ctx, assembler)
    const part = assembler.add(header, body)
    if (part.kind === 'dropped') {
      refuseFrame(ctx, {
        reason: 'bad_split',
        detail: part.reason,
        evidence: bytes,
        header,
        result: results.badMessage,
      })
      return undefined
    }
    requestMissingPackets(ctx, assembler)
    if (part.kind === 'pending') return undefined
    // Every packet is answered once the whole message is handled, as a lone frame would be; the
    // joined body is the evidence a dead letter keeps, not the last packet alone.
    const serials = Array.from({ length: header.split.total }, (_, i) => (part.header.serial + i) & 0xffff)
    return { header: part.header, body: part.body, serials, evidence: part.body }
  }
  return { header, body, serials: [header.serial], evidence: bytes }
}

/** Counts the split messages whose packets stopped coming, and forgets them. */
export function giveUpStaleSplits(ctx: ConnectionContext, assembler: SplitAssembler): void {
  const { stats, log } = ctx.host
  for (const expired of assembler.expire()) {
    stats.dropped.split_incomplete++
    log.info('a split message never completed', { remote: ctx.remote, ...expired })
  }
}

/**
 * Asks the terminal to resend the packets of its split messages that did not come (0x8003); a
 * resent packet keeps its serial and index, so it completes the message it belongs to. Only an
 * authenticated terminal is asked: before that anyone can connect, and a stranger's packets are
 * not worth the gateway's frames.
 */
export function requestMissingPackets(ctx: ConnectionContext, assembler: SplitAssembler): void {
  if (ctx.record.state.phase.kind !== 'authenticated') return
  const { stats, log } = ctx.host
  for (const { header, ...split } of assembler.dueResendRequests()) {
    // Packets past what one request names are asked for by the next.
    const packetIds = split.missingIndexes.slice(0, maxResendPacketIds[header.version])
    const body = encodeResendRequest({ firstSerial: split.firstSerial, packetIds, version: header.version })
    if (ctx.send(header, jt808MessageIds.resendPackets, body) === undefined) return
    stats.resendRequests++
    log.info('asked a terminal to resend the missing packets of a split message', {
      remote: ctx.remote,
      ...split,
      missingIndexes: packetIds,
    })
  }
}
