import { describe, expect, it } from 'vitest'
import { createTokenBucket } from './token-bucket.js'

const takeAll = (bucket: { take(atMs: number): boolean }, atMs: number, tries: number) =>
  Array.from({ length: tries }, () => bucket.take(atMs)).filter(Boolean).length

describe('token bucket', () => {
  it('gives its burst at once, then refills at its rate up to the burst', () => {
    const bucket = createTokenBucket({ burst: 5, perS: 2 }, 0)
    expect(takeAll(bucket, 0, 10)).toBe(5)
    expect(takeAll(bucket, 1000, 10)).toBe(2)
    expect(takeAll(bucket, 1250, 10)).toBe(0)
    expect(takeAll(bucket, 1500, 10)).toBe(1)
    expect(bucket.isFull(60_000)).toBe(true)
    expect(takeAll(bucket, 60_000, 10)).toBe(5)
  })

  it('neither drains nor refills when the clock goes back', () => {
    const bucket = createTokenBucket({ burst: 2, perS: 1 }, 10_000)
    expect(takeAll(bucket, 10_000, 2)).toBe(2)
    expect(takeAll(bucket, 5_000, 2)).toBe(0)
    expect(takeAll(bucket, 11_000, 2)).toBe(1)
  })

  it('says how long until the next token', () => {
    const bucket = createTokenBucket({ burst: 2, perS: 0.5 }, 0)
    expect(bucket.waitS(0)).toBe(0)
    expect(takeAll(bucket, 0, 2)).toBe(2)
    expect(bucket.waitS(0)).toBe(2)
    expect(bucket.waitS(1500)).toBeCloseTo(0.5, 9)
    expect(bucket.waitS(2000)).toBe(0)
  })
})
