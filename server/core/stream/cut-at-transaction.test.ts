import { describe, expect, it } from 'vitest'
import { cutAtTransaction } from './cut-at-transaction.js'

describe('cutting a bounded read at a whole transaction', () => {
  it('keeps everything when nothing was left out', () => {
    expect(cutAtTransaction([5n, 5n, 6n], 3)).toEqual({ kind: 'whole' })
    expect(cutAtTransaction([], 3)).toEqual({ kind: 'whole' })
  })

  it('leaves out the whole transaction that the bound splits', () => {
    // Rows 0-3 fit; row 4 is left out, and it shares transaction 7 with row 3.
    expect(cutAtTransaction([5n, 5n, 6n, 7n, 7n], 4)).toEqual({ kind: 'cut', keep: 3, at: 7n })
  })

  it('stops at the next transaction when the bound falls between two', () => {
    expect(cutAtTransaction([5n, 6n, 7n, 8n], 3)).toEqual({ kind: 'cut', keep: 3, at: 8n })
  })

  it('asks for all of one transaction larger than the bound', () => {
    expect(cutAtTransaction([9n, 9n, 9n, 9n], 3)).toEqual({ kind: 'oneTransaction', xid: 9n })
  })
})
