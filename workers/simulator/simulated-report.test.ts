import { describe, expect, it } from 'vitest'
import { createSeededRandom } from '../../geo/random/seeded-random.js'
import { formatShanghaiTimestamp } from './simulated-report.js'

describe('a report’s timestamp', () => {
  it('is the instant in Asia/Shanghai time with its offset, to the millisecond when it has any', () => {
    expect(formatShanghaiTimestamp(Date.parse('2026-03-02T07:15:02+08:00'))).toBe('2026-03-02T07:15:02+08:00')
    expect(formatShanghaiTimestamp(Date.parse('2026-03-01T16:00:00.250Z'))).toBe(
      '2026-03-02T00:00:00.250+08:00',
    )
    expect(formatShanghaiTimestamp(Date.parse('2026-12-31T23:59:59.999+08:00'))).toBe(
      '2026-12-31T23:59:59.999+08:00',
    )
    const random = createSeededRandom(1)
    for (let i = 0; i < 1000; i++) {
      const epochMs = Math.floor(random.between(1.7e12, 1.9e12))
      expect(Date.parse(formatShanghaiTimestamp(epochMs))).toBe(epochMs)
    }
  })
})
