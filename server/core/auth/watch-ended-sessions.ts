import type { Logger } from '../log/logger.js'
import type { Sessions } from './sessions.js'

/** What holds connections opened with sessions: the live channel's sockets, the broker's clients. */
export interface SessionHolder {
  openSessionIds(): string[]
  /** Closes whatever was opened with these sessions. */
  endSessions(ids: readonly string[]): void
}

/** Revocation reaches open connections within this, in every process (a parent's page, a terminal). */
export const endedSessionCheckMs = 2000

/**
 * Asks the store, every `intervalMs`, which of the sessions this process's connections were opened
 * with have ended (revoked by any process, or expired), and closes those connections. The store is
 * asked about the open sessions rather than for recent revocations, so no clock needs to agree.
 */
export function watchEndedSessions(options: {
  sessions: Pick<Sessions, 'endedAmong'>
  holders: () => readonly SessionHolder[]
  log: Logger
  intervalMs?: number
}): { check(): Promise<number>; stop(): void } {
  const check = async () => {
    // One question to the store for every holder's sessions together.
    const held = options.holders().map((holder) => ({ holder, ids: new Set(holder.openSessionIds()) }))
    const gone = new Set(await options.sessions.endedAmong([...new Set(held.flatMap((h) => [...h.ids]))]))
    let ended = 0
    for (const { holder, ids } of held) {
      const endedHere = [...ids].filter((id) => gone.has(id))
      if (endedHere.length === 0) continue
      holder.endSessions(endedHere)
      ended += endedHere.length
    }
    return ended
  }
  let running = false
  const timer = setInterval(() => {
    if (running) return
    running = true
    check()
      .then((ended) => {
        if (ended > 0) options.log.info('closed connections of ended sessions', { sessions: ended })
      })
      .catch((error: unknown) =>
        options.log.warn('checking for ended sessions failed', { error: String(error) }),
      )
      .finally(() => (running = false))
  }, options.intervalMs ?? endedSessionCheckMs)
  timer.unref()
  return { check, stop: () => clearInterval(timer) }
}
