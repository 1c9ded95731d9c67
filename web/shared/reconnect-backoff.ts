/**
 * How a page waits between tries to reach the live channel again: socket.io's own reconnection
 * runs on these numbers, and so do the tries the page makes itself when socket.io will not (a
 * server that sent the socket away, a handshake refused for a reason other than the token). The
 * delay doubles from `baseMs` up to `maxMs`, each moved at random by up to `jitter` of itself, so
 * that a server coming back is not met by every phone in the same second.
 */
export const reconnectBackoff = { baseMs: 1_000, maxMs: 15_000, jitter: 0.5 } as const

export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const { baseMs, maxMs, jitter } = reconnectBackoff
  const plainMs = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt))
  const spreadMs = plainMs * jitter
  return Math.round(plainMs - spreadMs + 2 * spreadMs * random())
}
