import { describe, expect, it } from 'vitest'
import { reconnectBackoff, reconnectDelayMs } from './reconnect-backoff.js'

describe('the reconnect backoff', () => {
  it('doubles from the base up to the ceiling', () => {
    const middle = () => 0.5
    expect([0, 1, 2, 3, 4, 5, 10].map((attempt) => reconnectDelayMs(attempt, middle))).toEqual([
      1_000, 2_000, 4_000, 8_000, 15_000, 15_000, 15_000,
    ])
  })

  it('spreads each delay by up to half of itself either way', () => {
    expect(reconnectDelayMs(0, () => 0)).toBe(reconnectBackoff.baseMs / 2)
    expect(reconnectDelayMs(0, () => 0.999999)).toBe(1_500)
    expect(reconnectDelayMs(20, () => 0)).toBe(7_500)
    expect(reconnectDelayMs(20, () => 0.999999)).toBe(22_500)
  })
})
