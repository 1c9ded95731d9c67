import { createTokenBucket, type TokenBucket } from '../../server/core/token-bucket.js'

export interface ReportRateLimits {
  /** Reports a bus earns per second, sustained. */
  refillPerS: number
  /** Reports a bus may send at once: what a terminal buffered through a coverage hole. */
  burstReports: number
}

/**
 * A terminal reports about once a second, plus a limiter state now and then: 2 per second leaves it
 * room, and lets a bus catch up while it keeps reporting live. After a coverage hole it uploads its
 * buffer at once: 21,600 is six hours of driving at 1 Hz, more than a school bus drives in a day.
 * A device replaying history beyond that gets 2 reports a second into its bus's past, not 50,000
 * in half a minute.
 */
export const defaultReportRateLimits: ReportRateLimits = {
  refillPerS: 2,
  burstReports: 6 * 3600,
}

/**
 * One token bucket per bus, on the ingest's clock (reports are judged when they arrive, not by the
 * time they carry). A bus starts with a full bucket, as after a restart of the worker.
 */
export function createReportRateLimiter(limits: ReportRateLimits = defaultReportRateLimits) {
  const buckets = new Map<string, TokenBucket>()
  const bucketLimit = { burst: limits.burstReports, perS: limits.refillPerS }
  return {
    /** The budget in words, for dead letters. */
    budget: `${limits.refillPerS} reports/s after a burst of ${limits.burstReports}`,
    /** Spends one report of the bus's budget; false when it has none left. */
    take(busId: string, nowMs: number): boolean {
      let bucket = buckets.get(busId)
      if (!bucket) buckets.set(busId, (bucket = createTokenBucket(bucketLimit, nowMs)))
      return bucket.take(nowMs)
    },
  }
}

export type ReportRateLimiter = ReturnType<typeof createReportRateLimiter>
