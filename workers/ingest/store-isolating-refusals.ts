/**
 * Stores `entries` in as few transactions as the store allows: all together first; when the store
 * refuses that, each half on its own, and so on down to the single entries it refuses, which
 * `onRefused` deals with. One bad entry among n costs about 2·log2(n) extra transactions, and every
 * other entry is stored, in arrival order.
 *
 * `commit` returns undefined once stored, or why the store refused; it waits out outages itself.
 */
export async function storeIsolatingRefusals<T>(
  entries: readonly T[],
  commit: (entries: readonly T[]) => Promise<{ refused: unknown } | undefined>,
  onRefused: (entry: T, refusal: unknown) => Promise<void>,
): Promise<void> {
  if (entries.length === 0) return
  const outcome = await commit(entries)
  if (!outcome) return
  if (entries.length === 1) return onRefused(entries[0]!, outcome.refused)
  const half = Math.ceil(entries.length / 2)
  await storeIsolatingRefusals(entries.slice(0, half), commit, onRefused)
  await storeIsolatingRefusals(entries.slice(half), commit, onRefused)
}
