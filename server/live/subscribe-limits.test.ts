import { describe, expect, it } from 'vitest'
import { createSubscribeLimiter, type SocketAdmission } from './subscribe-limits.js'

function settable(startMs: number) {
  let nowMs = startMs
  return { now: () => new Date(nowMs), advanceMs: (ms: number) => (nowMs += ms) }
}

const judgeMany = (socket: SocketAdmission, count: number) =>
  Array.from({ length: count }, () => socket.judgeSubscribe())

const limits = {
  socketBurst: 3,
  socketPerS: 1,
  tokenBurst: 5,
  tokenPerS: 2,
  socketsPerToken: 3,
  busesPerSocket: 4,
  refusalsBeforeDisconnect: 4,
}

describe('subscribe limits', () => {
  it('allows a socket its burst, refuses the rest, and disconnects it when it keeps on', () => {
    const clock = settable(0)
    const socket = createSubscribeLimiter({ clock, limits }).admitSocket('t1')!
    expect(judgeMany(socket, 8)).toEqual([
      'allowed',
      'allowed',
      'allowed',
      'rate_limited',
      'rate_limited',
      'rate_limited',
      'disconnect',
      'disconnect',
    ])
  })

  it('forgives a socket that waits for its bucket to refill', () => {
    const clock = settable(0)
    const socket = createSubscribeLimiter({ clock, limits }).admitSocket('t1')!
    judgeMany(socket, 6)
    clock.advanceMs(1000)
    expect(judgeMany(socket, 2)).toEqual(['allowed', 'rate_limited'])
    // The count of refusals starts again after the allowed one: four in a row disconnect.
    expect(judgeMany(socket, 3)).toEqual(['rate_limited', 'rate_limited', 'disconnect'])
  })

  it('shares one budget among the sockets of a token, and none with another token', () => {
    const clock = settable(0)
    const limiter = createSubscribeLimiter({ clock, limits })
    const [a, b] = [limiter.admitSocket('t1')!, limiter.admitSocket('t1')!]
    const allowed = [...judgeMany(a, 3), ...judgeMany(b, 3)].filter((v) => v === 'allowed')
    expect(allowed).toHaveLength(5)
    expect(limiter.admitSocket('t2')!.judgeSubscribe()).toBe('allowed')
  })

  it('caps the sockets of one token until one is released', () => {
    const limiter = createSubscribeLimiter({ clock: settable(0), limits })
    const sockets = [1, 2, 3].map(() => limiter.admitSocket('t1'))
    expect(sockets.every(Boolean)).toBe(true)
    expect(limiter.admitSocket('t1')).toBeNull()
    sockets[0]!.release()
    sockets[0]!.release()
    expect(limiter.admitSocket('t1')).not.toBeNull()
    expect(limiter.admitSocket('t1')).toBeNull()
  })

  it('keeps a drained token’s budget across reconnects, and forgets it once full again', () => {
    const clock = settable(0)
    const limiter = createSubscribeLimiter({ clock, limits })
    const first = limiter.admitSocket('t1')!
    judgeMany(first, 3)
    first.release()
    limiter.forgetIdleTokens()
    const second = limiter.admitSocket('t1')!
    expect(judgeMany(second, 3)).toEqual(['allowed', 'allowed', 'rate_limited'])
    second.release()
    clock.advanceMs(10_000)
    limiter.forgetIdleTokens()
    expect(limiter.trackedTokens()).toBe(0)
  })
})
