/** Runs `work` now and then every `intervalMs`; the returned closer waits for a run in progress. */
export function repeatEvery(intervalMs: number, work: () => Promise<void>): () => Promise<void> {
  let running = work()
  const timer = setInterval(() => (running = running.then(work)), intervalMs)
  timer.unref()
  return async () => {
    clearInterval(timer)
    await running
  }
}

/**
 * Runs `work` every `intervalMs`, one run at a time: a tick that comes while a run is still going is
 * skipped, so slow runs never pile up. `work` reports its own failures. The returned closer stops the
 * timer and waits for the run in progress.
 */
export function tickEvery(intervalMs: number, work: () => Promise<unknown>): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve()
  let busy = false
  const timer = setInterval(() => {
    if (busy) return
    busy = true
    running = work()
      .catch(() => undefined)
      .finally(() => (busy = false))
  }, intervalMs)
  timer.unref()
  return async () => {
    clearInterval(timer)
    await running
  }
}
