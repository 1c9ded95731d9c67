import { describe, expect, it } from 'vitest'
import { jt808MessageIds as ids } from '../../server/core/jt808/message-ids.js'
import {
  authenticate,
  awaitAnswer,
  createConnectionState,
  dropUnanswered,
  failAttempt,
  normaliseTerminalNumber,
  routeFrame,
  sameTerminalNumber,
  takeAnswered,
  takeDueResends,
} from './connection-state.js'

const terminal = '013800138000'
const identity = { busId: 'B1', terminalNumber: terminal, sessionId: 'session-1' }
/** The gateway's defaults: T1 8 s, two copies, a 30 s answer timeout. */
const schedule = { resendAfterMs: 8000, resends: 2, answerTimeoutMs: 30_000 }

describe('a connection before authentication', () => {
  it('takes registration and authentication only, refusing and counting the rest', () => {
    let state = createConnectionState()
    const routes = [ids.register, ids.authenticate, ids.heartbeat, ids.location, 0x0f01].map((messageId) => {
      const routed = routeFrame(state, { messageId, terminalNumber: terminal })
      state = routed.state
      return routed.route
    })
    expect(routes).toEqual([
      { kind: 'register' },
      { kind: 'authenticate' },
      { kind: 'refuse', reason: 'unauthenticated' },
      { kind: 'refuse', reason: 'unauthenticated' },
      { kind: 'refuse', reason: 'unauthenticated' },
    ])
    expect(state).toMatchObject({ frames: 5, refusedFrames: 3, phase: { kind: 'unauthenticated' } })
  })

  it('is closed at the third refused attempt, whatever it tried', () => {
    let state = createConnectionState()
    const closes = [1, 2, 3].map(() => {
      const failed = failAttempt(state, { maxFailedAttempts: 3 })
      state = failed.state
      return failed.close
    })
    expect(closes).toEqual([false, false, true])
  })

  it('forgets earlier failures once authenticated, and does not change the state it was given', () => {
    const before = failAttempt(createConnectionState()).state
    const after = authenticate(before, identity)
    expect(before).toMatchObject({ failedAttempts: 1, phase: { kind: 'unauthenticated' } })
    expect(after).toMatchObject({ failedAttempts: 0, phase: { kind: 'authenticated', ...identity } })
  })
})

describe('an authenticated connection', () => {
  const state = authenticate(createConnectionState(), identity)
  const route = (messageId: number, terminalNumber = terminal) =>
    routeFrame(state, { messageId, terminalNumber }).route

  it('routes each message the gateway handles', () => {
    expect(route(ids.heartbeat)).toEqual({ kind: 'heartbeat' })
    expect(route(ids.unregister)).toEqual({ kind: 'unregister' })
    expect(route(ids.location)).toEqual({ kind: 'location' })
    expect(route(ids.locationBatch)).toEqual({ kind: 'location_batch' })
    expect(route(ids.terminalGeneralReply)).toEqual({ kind: 'command_reply' })
    expect(route(ids.locationQueryReply)).toEqual({ kind: 'location_query_reply' })
    expect(route(ids.parametersReply)).toEqual({ kind: 'terminal_reply' })
    expect(route(ids.register)).toEqual({ kind: 'register' })
    expect(route(ids.authenticate)).toEqual({ kind: 'authenticate' })
  })

  it('calls vendor and multimedia messages unsupported', () => {
    expect(route(0x0801)).toEqual({ kind: 'unsupported' })
    expect(route(0x0f01)).toEqual({ kind: 'unsupported' })
  })

  it('takes its terminal number padded either way, and refuses another terminal’s', () => {
    expect(route(ids.location, '00000000013800138000')).toEqual({ kind: 'location' })
    expect(route(ids.location, '013800138001')).toEqual({ kind: 'refuse', reason: 'terminal_mismatch' })
  })
})

describe('commands awaiting the terminal’s answer', () => {
  const frame = Buffer.from([0x7e, 0x7e])
  const sent = [
    { commandId: 'c1', serial: 7, messageId: ids.setParameters, sentAtMs: 1000, frame },
    { commandId: 'c2', serial: 8, messageId: ids.text, sentAtMs: 2000, frame },
    { commandId: 'c3', serial: 9, messageId: ids.locationQuery, sentAtMs: 3000, frame },
  ]
  const awaiting = sent.reduce(
    (state, command) => awaitAnswer(state, command, schedule),
    authenticate(createConnectionState(), identity),
  )

  it('are matched by the serial and the message id the answer names, once', () => {
    const first = takeAnswered(awaiting, { replySerial: 8, replyId: ids.text })
    expect(first.commandId).toBe('c2')
    expect(first.state.awaitingAnswers.map((a) => a.commandId)).toEqual(['c1', 'c3'])
    expect(takeAnswered(first.state, { replySerial: 8, replyId: ids.text }).commandId).toBeNull()
    expect(awaiting.awaitingAnswers).toHaveLength(3)
  })

  it('are not matched by an answer naming the serial with another message id', () => {
    const answered = takeAnswered(awaiting, { replySerial: 7, replyId: ids.text })
    expect(answered.commandId).toBeNull()
    expect(answered.state).toBe(awaiting)
  })

  it('are dropped as timed out once unanswered for the timeout, the others kept', () => {
    const dropped = dropUnanswered(awaiting, 32_000, 30_000)
    expect(dropped.timedOut).toEqual(['c1', 'c2'])
    expect(dropped.state.awaitingAnswers.map((a) => a.commandId)).toEqual(['c3'])
    expect(dropUnanswered(awaiting, 30_999, 30_000).state).toBe(awaiting)
  })
})

describe('commands sent again while their answer is awaited', () => {
  const frame = Buffer.from([0x7e, 0x83, 0x00, 0x7e])
  const first = awaitAnswer(
    authenticate(createConnectionState(), identity),
    { commandId: 'c1', serial: 7, messageId: ids.text, sentAtMs: 1000, frame },
    schedule,
  )

  it('are due T1 after the first send, then T1 + 2·T1, with the same frame and serial', () => {
    expect(takeDueResends(first, 8999, schedule).due).toEqual([])
    expect(takeDueResends(first, 8999, schedule).state).toBe(first)
    const once = takeDueResends(first, 9000, schedule)
    expect(once.due).toEqual([expect.objectContaining({ serial: 7, frame, sends: 2, nextSendAtMs: 25_000 })])
    expect(takeDueResends(once.state, 24_999, schedule).due).toEqual([])
    const twice = takeDueResends(once.state, 25_000, schedule)
    expect(twice.due).toEqual([expect.objectContaining({ serial: 7, frame, sends: 3, nextSendAtMs: null })])
    expect(takeDueResends(twice.state, 30_999, schedule).due).toEqual([])
  })

  it('are not sent past the number of copies', () => {
    const oneCopy = { ...schedule, resends: 1 }
    const once = takeDueResends(
      awaitAnswer(createConnectionState(), first.awaitingAnswers[0]!, oneCopy),
      9000,
      oneCopy,
    )
    expect(once.due).toHaveLength(1)
    expect(once.state.awaitingAnswers[0]!.nextSendAtMs).toBeNull()
    expect(takeDueResends(once.state, 29_000, oneCopy).due).toEqual([])
    const none = { ...schedule, resends: 0 }
    expect(
      awaitAnswer(createConnectionState(), first.awaitingAnswers[0]!, none).awaitingAnswers[0]!.nextSendAtMs,
    ).toBeNull()
  })

  it('are not sent at or past the answer timeout', () => {
    // T1 + 2·T1 = 24 s falls at the 24 s timeout: only the first copy goes out.
    const short = { ...schedule, answerTimeoutMs: 24_000 }
    const once = takeDueResends(
      awaitAnswer(createConnectionState(), first.awaitingAnswers[0]!, short),
      9000,
      short,
    )
    expect(once.due).toHaveLength(1)
    expect(once.state.awaitingAnswers[0]!.nextSendAtMs).toBeNull()
    // A clock that jumped past the timeout finds the command timed out, not due.
    expect(takeDueResends(first, 31_000, schedule).due).toEqual([])
  })

  it('are not sent once answered', () => {
    const answered = takeAnswered(first, { replySerial: 7, replyId: ids.text })
    expect(answered.commandId).toBe('c1')
    expect(takeDueResends(answered.state, 9000, schedule).due).toEqual([])
  })
})

describe('terminal numbers', () => {
  it('compare as numbers, leading zeros aside', () => {
    expect(sameTerminalNumber('13800138000', '013800138000')).toBe(true)
    expect(sameTerminalNumber('013800138000', '00000000013800138000')).toBe(true)
    expect(sameTerminalNumber('13800138000', '13800138001')).toBe(false)
    expect(normaliseTerminalNumber('000000000000')).toBe('0')
  })
})
