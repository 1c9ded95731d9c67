import { expect, it } from 'vitest'
import { createReportRateLimiter, defaultReportRateLimits } from './report-rate-limiter.js'

const takeMany = (take: () => boolean, n: number) => Array.from({ length: n }, take).filter(Boolean).length

it('lets a bus send its burst at once, then as many a second as it earns', () => {
  const limiter = createReportRateLimiter({ refillPerS: 2, burstReports: 10 })
  expect(takeMany(() => limiter.take('B1', 0), 15)).toBe(10)
  expect(takeMany(() => limiter.take('B1', 1500), 5)).toBe(3)
  expect(takeMany(() => limiter.take('B1', 100_000), 50)).toBe(10)
})

it('keeps one budget per bus', () => {
  const limiter = createReportRateLimiter({ refillPerS: 1, burstReports: 2 })
  expect(takeMany(() => limiter.take('B1', 0), 3)).toBe(2)
  expect(takeMany(() => limiter.take('B2', 0), 3)).toBe(2)
})

it('by default takes a six-hour backlog while the bus reports live, but not 50,000 replayed reports', () => {
  const limiter = createReportRateLimiter()
  const backlog = 6 * 3600
  expect(takeMany(() => limiter.take('B1', 0), backlog)).toBe(backlog)
  let live = 0
  for (let s = 1; s <= 600; s++) live += takeMany(() => limiter.take('B1', s * 1000), 1)
  expect(live).toBe(600)
  const replay = takeMany(() => limiter.take('B2', 0), 50_000)
  expect(replay).toBe(defaultReportRateLimits.burstReports)
})
