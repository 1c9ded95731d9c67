import { expect } from 'vitest'
import type { IngestWorker } from '../../workers/ingest/ingest-worker.js'

/** Waits until the worker has received `received` messages and stored (or dead-lettered) them all. */
export async function waitUntilStored(worker: IngestWorker, received: number, timeoutMs = 15_000) {
  await expect.poll(() => worker.stats().received, { timeout: timeoutMs }).toBeGreaterThanOrEqual(received)
  await expect.poll(() => worker.stats().backlog, { timeout: timeoutMs }).toBe(0)
}
