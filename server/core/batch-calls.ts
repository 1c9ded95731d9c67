/**
 * Gathers the calls made within one turn of the event loop (at most `maxItems` together) into one
 * call of `run`, each caller getting its own answer: for checks that cost one query whether they
 * are asked for one item or a thousand. `run` answers the items in order; when it fails, every
 * call of its batch fails with its error.
 */
export function batchCalls<I, O>(
  run: (items: I[]) => Promise<O[]>,
  options: { maxItems: number },
): (item: I) => Promise<O> {
  let pending: { item: I; resolve(value: O): void; reject(error: unknown): void }[] = []

  const flush = () => {
    const batch = pending
    pending = []
    if (batch.length === 0) return
    run(batch.map((call) => call.item)).then(
      (answers) => batch.forEach((call, i) => call.resolve(answers[i]!)),
      (error: unknown) => batch.forEach((call) => call.reject(error)),
    )
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      pending.push({ item, resolve, reject })
      if (pending.length === 1) setImmediate(flush)
      if (pending.length >= options.maxItems) flush()
    })
}
