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
} from './connection-state.js'

const terminal = '013800138000'
const identity = { busId: 'B1', terminalNumber: terminal, sessionId: 'session-1' }

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
  const sent = [
    { commandId: 'c1', serial: 7, messageId: ids.setParameters, sentAtMs: 1000 },
    { commandId: 'c2', serial: 8, messageId: ids.text, sentAtMs: 2000 },
    { commandId: 'c3', serial: 9, messageId: ids.locationQuery, sentAtMs: 3000 },
  ]
  const awaiting = sent.reduce(awaitAnswer, authenticate(createConnectionState(), identity))

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

describe('terminal numbers', () => {
  it('compare as numbers, leading zeros aside', () => {
    expect(sameTerminalNumber('13800138000', '013800138000')).toBe(true)
    expect(sameTerminalNumber('013800138000', '00000000013800138000')).toBe(true)
    expect(sameTerminalNumber('13800138000', '13800138001')).toBe(false)
    expect(normaliseTerminalNumber('000000000000')).toBe('0')
  })
})
