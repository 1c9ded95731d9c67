import { decodeGeneralReply } from '../../server/core/jt808/decode-general-reply.js'
import { decodeLocationQueryReply } from '../../server/core/jt808/decode-location-query-reply.js'
import { encodeTerminalCommand } from '../../server/core/jt808/encode-terminal-command.js'
import { jt808MessageIds } from '../../server/core/jt808/message-ids.js'
import { commandResultOf, type TerminalCommand } from '../../server/core/jt808/terminal-commands.js'
import type { ConnectionContext, Frame } from './connection-context.js'
import { awaitAnswer, dropUnanswered, takeAnswered } from './connection-state.js'
import { reportLocation } from './location-frames.js'

/** Sends a command to the authenticated terminal; its serial, or undefined when it cannot be sent. */
export function sendCommand(ctx: ConnectionContext, command: TerminalCommand): number | undefined {
  const { record } = ctx
  const { peer } = record
  if (record.closed || record.closingAfterDrain || !peer || record.state.phase.kind !== 'authenticated') {
    return undefined
  }
  const { messageId, body } = encodeTerminalCommand(command, peer.version)
  const serial = ctx.send(peer, messageId, body)
  if (serial === undefined) return undefined
  record.state = awaitAnswer(record.state, {
    commandId: command.id,
    serial,
    messageId,
    sentAtMs: ctx.nowMs(),
  })
  ctx.host.stats.commands.sent++
  return serial
}

/** Stops waiting for answers older than the timeout; the commands' ids. */
export function dropUnansweredCommands(ctx: ConnectionContext): string[] {
  const { record, host } = ctx
  const dropped = dropUnanswered(record.state, ctx.nowMs(), host.limits.commandAnswerTimeoutMs)
  record.state = dropped.state
  host.stats.commands.timedOut += dropped.timedOut.length
  return dropped.timedOut
}

/** The terminal's 0x0001: answers are not answered. */
export function takeCommandReply(ctx: ConnectionContext, frame: Frame): void {
  const { record, host } = ctx
  const reply = decodeGeneralReply(frame.body)
  const taken = takeAnswered(record.state, reply)
  record.state = taken.state
  if (taken.commandId === null) return
  host.stats.commands.answered++
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
export function takeLocationQueryReply(ctx: ConnectionContext, frame: Frame): void {
  const { record, host } = ctx
  const { replySerial, location } = decodeLocationQueryReply(frame.body)
  const taken = takeAnswered(record.state, { replySerial, replyId: jt808MessageIds.locationQuery })
  record.state = taken.state
  ctx.deliverThenAnswer(undefined, [reportLocation(record.state, location)])
  if (taken.commandId === null) return
  host.stats.commands.answered++
  host.answered(taken.commandId, 'ok', null)
}
