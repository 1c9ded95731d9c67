/**
 * The events and live parts read committed reports from the store (server/core/stream), whichever
 * process stored them; when the ingest runs in the same process, its commit wakes them at once
 * instead of at their next poll. A hint only: nothing is lost without it.
 */
export interface CommitSignal {
  /** Calls `wake` after each commit of this process's ingest; the returned function stops it. */
  listen(wake: () => void): () => void
  /** For the ingest part: a batch has just been committed. */
  notify(): void
}

export function createCommitSignal(): CommitSignal {
  const listeners = new Set<() => void>()
  return {
    listen(wake) {
      listeners.add(wake)
      return () => listeners.delete(wake)
    },
    notify() {
      for (const wake of listeners) wake()
    },
  }
}
