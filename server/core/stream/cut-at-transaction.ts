import type { Checkpoint } from './stream-checkpoint.js'

/**
 * Where a read bounded to `maxRows` may stop, given up to maxRows + 1 rows in transaction-id
 * order. Every row of one transaction carries the same id, so the rows below the id of the first
 * row left out are whole transactions: they are kept, and the checkpoint may move to that id.
 * `whole`: nothing was left out. `cut`: keep the first `keep` rows, the next read starts at `at`.
 * `oneTransaction`: a single transaction holds more than maxRows rows; read all of it.
 */
export type TransactionCut =
  | { kind: 'whole' }
  | { kind: 'cut'; keep: number; at: Checkpoint }
  | { kind: 'oneTransaction'; xid: Checkpoint }

export function cutAtTransaction(xids: readonly Checkpoint[], maxRows: number): TransactionCut {
  if (xids.length <= maxRows) return { kind: 'whole' }
  const at = xids[maxRows]!
  let keep = maxRows
  while (keep > 0 && xids[keep - 1] === at) keep--
  return keep === 0 ? { kind: 'oneTransaction', xid: at } : { kind: 'cut', keep, at }
}
