/**
 * A token bucket: `burst` takes at once, then `perS` a second as it refills. Times are passed in, so
 * the owner's clock decides and tests need no waiting.
 */
export function createTokenBucket(limit: { burst: number; perS: number }, nowMs: number) {
  let tokens = limit.burst
  let refilledAtMs = nowMs
  const refill = (atMs: number) => {
    // A clock set back must not drain the bucket: time only ever adds tokens.
    const elapsedS = Math.max(0, atMs - refilledAtMs) / 1000
    tokens = Math.min(limit.burst, tokens + elapsedS * limit.perS)
    refilledAtMs = Math.max(refilledAtMs, atMs)
  }
  return {
    /** Takes one token if there is one. */
    take(atMs: number): boolean {
      refill(atMs)
      if (tokens < 1) return false
      tokens -= 1
      return true
    },
    isFull(atMs: number): boolean {
      refill(atMs)
      return tokens >= limit.burst
    },
    /** Seconds until the next token. */
    waitS(atMs: number): number {
      refill(atMs)
      return tokens >= 1 ? 0 : (1 - tokens) / limit.perS
    },
  }
}

export type TokenBucket = ReturnType<typeof createTokenBucket>
