import { expect, it } from 'vitest'
import { storeIsolatingRefusals } from './store-isolating-refusals.js'

it('stores everything but the refused entries, in order, and names those', async () => {
  const stored: number[] = []
  const refused: number[] = []
  let transactions = 0
  const entries = Array.from({ length: 100 }, (_, i) => i)
  await storeIsolatingRefusals(
    entries,
    async (batch) => {
      transactions++
      if (batch.some((n) => n === 13 || n === 77)) return { refused: new Error('no') }
      stored.push(...batch)
      return undefined
    },
    async (entry) => void refused.push(entry),
  )
  expect(stored).toEqual(entries.filter((n) => n !== 13 && n !== 77))
  expect(refused).toEqual([13, 77])
  expect(transactions).toBeLessThanOrEqual(1 + 2 * 2 * Math.ceil(Math.log2(100)))
})

it('writes a batch the store takes in one transaction', async () => {
  let transactions = 0
  await storeIsolatingRefusals(
    [1, 2, 3],
    async () => void transactions++,
    async () => {},
  )
  expect(transactions).toBe(1)
})
