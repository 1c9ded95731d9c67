import { describe, expect, it } from 'vitest'
import { jt808MessageIds as ids } from '../../server/core/jt808/message-ids.js'
import {
  authenticate,
  createConnectionState,
  failAttempt,
  normaliseTerminalNumber,
  routeFrame,
  sameTerminalNumber,
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
    expect(route(ids.terminalGeneralReply)).toEqual({ kind: 'terminal_reply' })
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

describe('terminal numbers', () => {
  it('compare as numbers, leading zeros aside', () => {
    expect(sameTerminalNumber('13800138000', '013800138000')).toBe(true)
    expect(sameTerminalNumber('013800138000', '00000000013800138000')).toBe(true)
    expect(sameTerminalNumber('13800138000', '13800138001')).toBe(false)
    expect(normaliseTerminalNumber('000000000000')).toBe('0')
  })
})
