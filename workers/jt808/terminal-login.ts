import { decodeAuthenticate } from '../../server/core/jt808/decode-authenticate.js'
import { decodeRegister } from '../../server/core/jt808/decode-register.js'
import { encodeRegisterReply } from '../../server/core/jt808/encode-replies.js'
import { jt808MessageIds, jt808ReplyResults } from '../../server/core/jt808/message-ids.js'
import type { ConnectionContext, Frame } from './connection-context.js'
import { authenticate, failAttempt } from './connection-state.js'

const results = jt808ReplyResults

export async function registerTerminal(ctx: ConnectionContext, frame: Frame): Promise<void> {
  const { stats, log } = ctx.host
  const { remote } = ctx
  const { header } = frame
  const registration = decodeRegister(frame.body, header.version)
  let outcome
  try {
    outcome = await ctx.host.access.register({
      terminalNumber: header.terminalNumber,
      plate: registration.plate,
      from: ctx.remoteAddress,
    })
  } catch (error) {
    stats.storeErrors++
    log.warn('a registration could not be checked; left unanswered', { remote, error: String(error) })
    return
  }
  if (ctx.record.closed) return
  ctx.send(
    header,
    jt808MessageIds.registerReply,
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
  countFailedAttempt(ctx)
}

export async function authenticateTerminal(ctx: ConnectionContext, frame: Frame): Promise<void> {
  const { stats, log } = ctx.host
  const { remote, record } = ctx
  const { header } = frame
  const { authCode } = decodeAuthenticate(frame.body, header.version)
  let outcome
  try {
    outcome = await ctx.host.access.authenticate({ terminalNumber: header.terminalNumber, authCode })
  } catch (error) {
    stats.storeErrors++
    log.warn('an authentication could not be checked; left unanswered', { remote, error: String(error) })
    return
  }
  if (record.closed) return
  if (!outcome.ok) {
    stats.authentications.refused++
    log.info('an authentication was refused', { remote, terminal: header.terminalNumber, why: outcome.why })
    ctx.answer(frame, results.failed)
    countFailedAttempt(ctx)
    return
  }
  stats.authentications.accepted++
  record.state = authenticate(record.state, {
    busId: outcome.busId,
    terminalNumber: header.terminalNumber,
    sessionId: outcome.sessionId,
  })
  record.peer = header
  ctx.answer(frame, results.ok)
  ctx.host.claim(ctx.connection, outcome.busId)
}

function countFailedAttempt(ctx: ConnectionContext): void {
  const failed = failAttempt(ctx.record.state, ctx.host.limits)
  ctx.record.state = failed.state
  if (failed.close) ctx.close('failed_attempts')
}
