import { afterEach, expect, it, vi } from 'vitest'
import { scheduleAt } from './schedule-at.js'

const clock = { now: () => new Date() }
afterEach(() => {
  vi.restoreAllMocks()
  vi.useRealTimers()
})

it('waits for a task due beyond the longest timer Node keeps in a few long steps, and runs it on time', () => {
  vi.useFakeTimers({ now: new Date('2026-03-02T07:00:00Z') })
  const timers = vi.spyOn(globalThis, 'setTimeout')
  const ran: string[] = []
  scheduleAt(clock, new Date('2026-03-30T07:00:00Z'), () => ran.push(clock.now().toISOString()))
  // Node fires a longer timer after 1 ms: waiting would then spin, re-arming every millisecond.
  vi.advanceTimersByTime(1000)
  expect(timers).toHaveBeenCalledTimes(1)
  vi.advanceTimersByTime(27 * 86_400_000)
  expect(ran).toEqual([])
  vi.advanceTimersByTime(86_400_000)
  expect(ran).toEqual(['2026-03-30T07:00:00.000Z'])
  expect(timers).toHaveBeenCalledTimes(2)
})

it('runs a task already due at once, and a cancelled one never', () => {
  vi.useFakeTimers({ now: new Date('2026-03-02T07:00:00Z') })
  const ran: string[] = []
  scheduleAt(clock, new Date('2026-03-02T06:59:59Z'), () => ran.push('due'))
  const cancel = scheduleAt(clock, new Date('2026-03-02T07:00:01Z'), () => ran.push('cancelled'))
  cancel()
  vi.advanceTimersByTime(5000)
  expect(ran).toEqual(['due'])
})
