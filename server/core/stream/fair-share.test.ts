import { describe, expect, it } from 'vitest'
import { fairShare, partitionsAboveShare } from './fair-share.js'

describe('fair share of the partitions', () => {
  it('shares 16 partitions out, rounding up', () => {
    expect(fairShare(16, 1)).toBe(16)
    expect(fairShare(16, 2)).toBe(8)
    expect(fairShare(16, 3)).toBe(6)
    expect(fairShare(16, 20)).toBe(1)
  })

  it('counts a member that has not joined yet as one', () => {
    expect(fairShare(16, 0)).toBe(16)
  })

  it('gives up the highest partitions above the share', () => {
    expect(partitionsAboveShare([3, 0, 9, 12, 5], 3)).toEqual([9, 12])
    expect(partitionsAboveShare([1, 2], 8)).toEqual([])
  })
})
