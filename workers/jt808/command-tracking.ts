import { decodeGeneralReply } from '../../server/core/jt808/decode-general-reply.js'
import { decodeLocationQueryReply } from '../../server/core/jt808/decode-location-query-reply.js'
import { encodeTerminalCommand } from '../../server/core/jt808/encode-terminal-command.js'
import { jt808MessageIds } from '../../server/core/jt808/message-ids.js'
import { commandResultOf, type TerminalCommand } from '../../server/core/jt808/terminal-commands.js'
import type { ConnectionContext, Frame } from './connection-context.js'
import {
  awaitAnswer,
  dropUnanswered,
  takeAnswered,
  takeDueResends,
  type ResendSchedule,
} from './connection-state.js'
import type { Jt808GatewayLimits } from './gateway-limits.js'
import { reportLocation } from './location-frames.js'

/** Sends a command to the authenticated terminal; its serial, or undefined when it cannot be sent. */
export function sendCommand(ctx: ConnectionContext, command: TerminalCommand): number | undefined {
  const { record } = ctx
  const { peer } = record
  if (record.closed || record.closingAfterDrain || !peer || record.state.phase.kind !== 'authenticated') {
    return undefined
  }
  const { messageId, body } = encodeTerminalCommand(command, peer.version)
  const sent = ctx.sendKept(peer, messageId, body)
  if (sent === undefined) return undefined
  record.state = awaitAnswer(
    record.state,
    { commandId: command.id, serial: sent.serial, messageId, sentAtMs: ctx.nowMs(), frame: sent.frame },
    resendScheduleOf(ctx.host.limits),
  )
  ctx.host.stats.commands.sent++
  return sent.serial
}

/**
 * Sends again, byte for byte, the commands whose answer is late: a frame lost on the way there or
 * back is retransmitted as JT/T 808 has the sender do. How many copies went out.
 */
export function resendUnansweredCommands(ctx: ConnectionContext): number {
  const { record, host } = ctx
  if (record.closed || record.closingAfterDrain || record.state.awaitingAnswers.length === 0) return 0
  const taken = takeDueResends(record.state, ctx.nowMs(), resendScheduleOf(host.limits))
  record.state = taken.state
  let resent = 0
  for (const command of taken.due) {
    if (!ctx.repeat(command.frame)) break
    resent++
    host.log.info('sent a command again: the terminal has not answered it', {
      remote: ctx.remote,
      commandId: command.commandId,
      serial: command.serial,
      sends: command.sends,
    })
  }
  host.stats.commands.resent += resent
  return resent
}

function resendScheduleOf(limits: Jt808GatewayLimits): ResendSchedule {
  return {
    resendAfterMs: limits.commandResendAfterMs,
    resends: limits.commandResends,
    answerTimeoutMs: limits.commandAnswerTimeoutMs,
  }
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
