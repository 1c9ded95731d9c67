import { describe, expect, it } from 'vitest'
import { batchCalls } from './batch-calls.js'

describe('batchCalls', () => {
  it('answers the calls of one turn with one run, each its own answer', async () => {
    const runs: number[][] = []
    const double = batchCalls(
      async (items: number[]) => {
        runs.push(items)
        return items.map((n) => n * 2)
      },
      { maxItems: 3 },
    )
    const answers = await Promise.all([1, 2, 3, 4, 5].map(double))
    expect(answers).toEqual([2, 4, 6, 8, 10])
    expect(runs).toEqual([
      [1, 2, 3],
      [4, 5],
    ])
    expect(await double(6)).toBe(12)
    expect(runs).toHaveLength(3)
  })

  it('fails every call of a batch whose run fails, and runs the next batch anew', async () => {
    let fail = true
    const check = batchCalls(
      async (items: string[]) => {
        if (fail) throw new Error('store down')
        return items.map((item) => item.toUpperCase())
      },
      { maxItems: 10 },
    )
    const failed = await Promise.allSettled([check('a'), check('b')])
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    fail = false
    expect(await check('c')).toBe('C')
  })
})
