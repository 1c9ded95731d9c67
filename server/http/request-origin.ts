import type { Context } from 'hono'
import { getConnInfo } from '@hono/node-server/conninfo'

/** Where a request came from, for the audit log and per-address limits. */
export interface RequestOrigin {
  ip: string | null
  userAgent: string | null
}

/**
 * The peer's address as the socket has it. Behind a reverse proxy every request seems to come from
 * the proxy; its X-Forwarded-For is believed only when TRUST_PROXY says a proxy is there, since
 * anyone can send the header.
 */
export function requestOrigin(c: Context, options: { trustProxy?: boolean } = {}): RequestOrigin {
  const forwarded = options.trustProxy ? c.req.header('x-forwarded-for')?.split(',')[0]?.trim() || null : null
  let peer: string | null = null
  try {
    peer = getConnInfo(c).remote.address ?? null
  } catch {
    // Requests made in process (app.request in tests) have no socket.
  }
  return { ip: forwarded ?? peer, userAgent: c.req.header('user-agent') ?? null }
}
