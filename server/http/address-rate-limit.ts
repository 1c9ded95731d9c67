import type { Clock } from '../core/clock/clock.js'
import { AppError } from '../core/errors/app-error.js'
import { createTokenBucket, type TokenBucket } from '../core/token-bucket.js'

/** Past this many addresses, full buckets (addresses quiet long enough) are forgotten. */
const maxAddresses = 10_000

/**
 * Attempts per address: a bucket of `burst` that refills at `perMin` a minute, so that one address
 * cannot try many accounts (each account's own lockout stops trying many passwords on one). Over it
 * the attempt is refused with 429 before anything is checked.
 */
export function createAddressRateLimit(options: { burst: number; perMin: number; clock: Clock }) {
  const buckets = new Map<string, TokenBucket>()
  const limit = { burst: options.burst, perS: options.perMin / 60 }

  function forgetQuiet(nowMs: number) {
    for (const [address, bucket] of buckets) if (bucket.isFull(nowMs)) buckets.delete(address)
  }

  return {
    /** Takes one attempt for `address`, or throws `rate_limited`. */
    take(address: string | null): void {
      const nowMs = options.clock.now().getTime()
      const key = address ?? 'unknown'
      let bucket = buckets.get(key)
      if (!bucket) {
        if (buckets.size >= maxAddresses) forgetQuiet(nowMs)
        bucket = createTokenBucket(limit, nowMs)
        buckets.set(key, bucket)
      }
      if (!bucket.take(nowMs)) {
        const retryAfterS = Math.max(1, Math.ceil(bucket.waitS(nowMs)))
        throw new AppError(
          'rate_limited',
          `too many requests from this address: try again in ${retryAfterS} s`,
          { retryAfterS },
        )
      }
    },
  }
}

export type AddressRateLimit = ReturnType<typeof createAddressRateLimit>
