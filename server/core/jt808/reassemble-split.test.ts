import { describe, expect, it } from 'vitest'
import type { Jt808Header } from './decode-frame.js'
import { createSplitAssembler } from './reassemble-split.js'

function part(serial: number, index: number, total: number, terminalNumber = '013511221122'): Jt808Header {
  return {
    messageId: 0x0704,
    version: 2013,
    protocolVersion: null,
    terminalNumber,
    serial,
    encrypted: false,
    split: { total, index },
  }
}

function fakeClock(startMs: number) {
  let nowMs = startMs
  return { now: () => new Date(nowMs), advance: (ms: number) => (nowMs += ms) }
}

describe('split assembler', () => {
  it('joins packets in index order whatever order they come in, across other messages', () => {
    const assembler = createSplitAssembler({ maxParts: 10, timeoutMs: 30_000, clock: fakeClock(0) })
    expect(assembler.add(part(102, 3, 3), Buffer.from('cc'))).toEqual({
      kind: 'pending',
      received: 1,
      total: 3,
    })
    expect(assembler.add(part(500, 1, 2, '099999999999'), Buffer.from('x'))).toMatchObject({
      kind: 'pending',
    })
    expect(assembler.add(part(100, 1, 3), Buffer.from('aa'))).toMatchObject({ kind: 'pending', received: 2 })
    const done = assembler.add(part(101, 2, 3), Buffer.from('bb'))
    expect(done).toMatchObject({ kind: 'complete', header: { serial: 100, split: null } })
    expect(done.kind === 'complete' && done.body.toString()).toBe('aabbcc')
    expect(assembler.pendingCount()).toBe(1)
  })

  it('finds the first serial across the wrap of the serial counter', () => {
    const assembler = createSplitAssembler({ maxParts: 10, timeoutMs: 30_000, clock: fakeClock(0) })
    assembler.add(part(0xffff, 1, 2), Buffer.from('a'))
    const done = assembler.add(part(0x0000, 2, 2), Buffer.from('b'))
    expect(done.kind === 'complete' && done.body.toString()).toBe('ab')
  })

  it('gives up a message whose packets stop coming, and names the missing ones', () => {
    const clock = fakeClock(Date.parse('2026-03-02T07:00:00Z'))
    const assembler = createSplitAssembler({ maxParts: 10, timeoutMs: 30_000, clock })
    assembler.add(part(10, 1, 4), Buffer.from('a'))
    clock.advance(20_000)
    assembler.add(part(12, 3, 4), Buffer.from('c'))
    clock.advance(29_000)
    expect(assembler.expire()).toEqual([])
    clock.advance(2_000)
    expect(assembler.expire()).toEqual([
      { terminalNumber: '013511221122', messageId: 0x0704, firstSerial: 10, missingIndexes: [2, 4] },
    ])
    expect(assembler.pendingCount()).toBe(0)
    // A late packet starts a new message rather than completing the old one.
    expect(assembler.add(part(11, 2, 4), Buffer.from('b'))).toMatchObject({ kind: 'pending', received: 1 })
  })

  describe('resend requests', () => {
    const resend = { afterMs: 10_000, attempts: 2 }
    const missing = (header: Jt808Header, missingIndexes: number[]) => ({
      terminalNumber: '013511221122',
      messageId: 0x0704,
      firstSerial: 10,
      missingIndexes,
      header,
    })

    it('asks once the last packet shows gaps, again after the wait, then no more', () => {
      const clock = fakeClock(0)
      const assembler = createSplitAssembler({ maxParts: 10, timeoutMs: 60_000, clock, resend })
      assembler.add(part(10, 1, 4), Buffer.from('a'))
      expect(assembler.dueResendRequests()).toEqual([])
      const last = part(13, 4, 4)
      assembler.add(last, Buffer.from('d'))
      expect(assembler.dueResendRequests()).toEqual([missing(last, [2, 3])])
      expect(assembler.dueResendRequests()).toEqual([])
      clock.advance(9_999)
      expect(assembler.dueResendRequests()).toEqual([])
      clock.advance(1)
      expect(assembler.dueResendRequests()).toEqual([missing(last, [2, 3])])
      clock.advance(40_000)
      expect(assembler.dueResendRequests()).toEqual([])
      expect(assembler.pendingCount()).toBe(1)
      // Still given up after the timeout of silence, as without requests.
      clock.advance(10_001)
      expect(assembler.expire()).toMatchObject([{ firstSerial: 10, missingIndexes: [2, 3] }])
    })

    it('asks after the wait when the last packet never came, and each packet restarts the wait', () => {
      const clock = fakeClock(0)
      const assembler = createSplitAssembler({ maxParts: 10, timeoutMs: 60_000, clock, resend })
      assembler.add(part(10, 1, 3), Buffer.from('a'))
      clock.advance(8_000)
      const second = part(11, 2, 3)
      assembler.add(second, Buffer.from('b'))
      clock.advance(8_000)
      expect(assembler.dueResendRequests()).toEqual([])
      clock.advance(2_000)
      expect(assembler.dueResendRequests()).toEqual([missing(second, [3])])
    })

    it('asks nothing for a message that completes, or without resend settings', () => {
      const clock = fakeClock(0)
      const assembler = createSplitAssembler({ maxParts: 10, timeoutMs: 60_000, clock, resend })
      assembler.add(part(10, 1, 2), Buffer.from('a'))
      expect(assembler.add(part(11, 2, 2), Buffer.from('b'))).toMatchObject({ kind: 'complete' })
      clock.advance(20_000)
      expect(assembler.dueResendRequests()).toEqual([])
      const silent = createSplitAssembler({ maxParts: 10, timeoutMs: 60_000, clock })
      silent.add(part(10, 2, 2), Buffer.from('b'))
      clock.advance(20_000)
      expect(silent.dueResendRequests()).toEqual([])
    })

    it('completes the message with the packets resent on request', () => {
      const clock = fakeClock(0)
      const assembler = createSplitAssembler({ maxParts: 10, timeoutMs: 60_000, clock, resend })
      assembler.add(part(10, 1, 3), Buffer.from('aa'))
      assembler.add(part(12, 3, 3), Buffer.from('cc'))
      expect(assembler.dueResendRequests()).toMatchObject([{ firstSerial: 10, missingIndexes: [2] }])
      clock.advance(3_000)
      // The resent packet carries its original serial and index, so it joins the same message.
      const done = assembler.add(part(11, 2, 3), Buffer.from('bb'))
      expect(done).toMatchObject({ kind: 'complete', header: { serial: 10, split: null } })
      expect(done.kind === 'complete' && done.body.toString()).toBe('aabbcc')
      expect(assembler.pendingCount()).toBe(0)
      clock.advance(20_000)
      expect(assembler.dueResendRequests()).toEqual([])
    })
  })

  it('drops packets it cannot place, and bounds what one terminal holds', () => {
    const assembler = createSplitAssembler({
      maxParts: 4,
      timeoutMs: 30_000,
      clock: fakeClock(0),
      maxPendingMessages: 2,
    })
    expect(assembler.add(part(1, 1, 5), Buffer.alloc(1))).toEqual({
      kind: 'dropped',
      reason: 'too_many_parts',
    })
    expect(assembler.add(part(1, 0, 3), Buffer.alloc(1))).toEqual({ kind: 'dropped', reason: 'bad_index' })
    expect(assembler.add(part(1, 4, 3), Buffer.alloc(1))).toEqual({ kind: 'dropped', reason: 'bad_index' })
    expect(assembler.add({ ...part(1, 1, 1), split: null }, Buffer.alloc(1))).toEqual({
      kind: 'dropped',
      reason: 'not_split',
    })
    for (const first of [100, 200, 300]) assembler.add(part(first, 1, 2), Buffer.alloc(1))
    expect(assembler.pendingCount()).toBe(2)
  })
})
