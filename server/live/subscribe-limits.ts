import type { Clock } from '../core/clock/clock.js'
import { createTokenBucket, type TokenBucket } from '../core/token-bucket.js'

/**
 * Each subscribe runs a scope query and sends a snapshot, so an unlimited stream of them from one
 * client stalls the server for everyone (the ingest included). A page subscribes once per
 * connection; these limits leave that and a bureau's fleet view far inside them.
 */
export interface SubscribeLimits {
  /** Subscribes one socket may send at once, then how many a second. */
  socketBurst: number
  socketPerS: number
  /** The same across every socket of one access token, so opening more sockets buys nothing. */
  tokenBurst: number
  tokenPerS: number
  /** Sockets one access token may hold open on this server process. */
  socketsPerToken: number
  /** Buses one socket may watch at a time: the bureau's fleet of 36 fits. */
  busesPerSocket: number
  /** Subscribes refused in a row after which the socket is taken for a flood and disconnected. */
  refusalsBeforeDisconnect: number
}

export const defaultSubscribeLimits: SubscribeLimits = {
  socketBurst: 20,
  socketPerS: 2,
  tokenBurst: 40,
  tokenPerS: 5,
  socketsPerToken: 10,
  busesPerSocket: 64,
  refusalsBeforeDisconnect: 20,
}

export type SubscribeVerdict = 'allowed' | 'rate_limited' | 'disconnect'

/** One admitted socket's share of the limits. */
export interface SocketAdmission {
  /** Decides on one subscribe before any work is done for it. */
  judgeSubscribe(): SubscribeVerdict
  /** The socket has gone: its token may open another. */
  release(): void
}

export function createSubscribeLimiter(options: { clock: Clock; limits?: Partial<SubscribeLimits> }) {
  const limits = { ...defaultSubscribeLimits, ...options.limits }
  const nowMs = () => options.clock.now().getTime()
  const byToken = new Map<string, { sockets: number; bucket: TokenBucket }>()

  return {
    limits,

    /** A new socket carrying this token; null when the token already holds as many as it may. */
    admitSocket(token: string): SocketAdmission | null {
      let shared = byToken.get(token)
      if (!shared) {
        shared = {
          sockets: 0,
          bucket: createTokenBucket({ burst: limits.tokenBurst, perS: limits.tokenPerS }, nowMs()),
        }
        byToken.set(token, shared)
      }
      if (shared.sockets >= limits.socketsPerToken) return null
      shared.sockets++
      const own = createTokenBucket({ burst: limits.socketBurst, perS: limits.socketPerS }, nowMs())
      let refusedInRow = 0
      let released = false
      return {
        judgeSubscribe() {
          const atMs = nowMs()
          // The socket's own bucket first, so one socket's flood does not drain its siblings' share.
          if (own.take(atMs) && shared.bucket.take(atMs)) {
            refusedInRow = 0
            return 'allowed'
          }
          refusedInRow++
          return refusedInRow >= limits.refusalsBeforeDisconnect ? 'disconnect' : 'rate_limited'
        },
        release() {
          if (released) return
          released = true
          shared.sockets--
        },
      }
    },

    /**
     * Forgets tokens with no socket left whose bucket is full again. A token's bucket outlives its
     * sockets until then, so reconnecting does not refill it.
     */
    forgetIdleTokens(): void {
      const atMs = nowMs()
      for (const [token, shared] of byToken)
        if (shared.sockets === 0 && shared.bucket.isFull(atMs)) byToken.delete(token)
    },

    trackedTokens: () => byToken.size,
  }
}

export type SubscribeLimiter = ReturnType<typeof createSubscribeLimiter>
