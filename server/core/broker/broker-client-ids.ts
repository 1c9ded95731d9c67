import type { Principal } from '../auth/principal.js'

/** The one client id a bus's terminal connects with, whichever of its tokens it holds. */
export function terminalClientId(busId: string): string {
  return `terminal-${busId}`
}

/**
 * The only MQTT client id a credential may connect with. The broker keeps a client's session
 * under its id and drops an older connection with the same id, so a free choice of id would let
 * one credential take over another client's connection and its queued messages. Undefined for
 * people, who do not connect to the broker.
 */
export function brokerClientId(principal: Principal): string | undefined {
  if (principal.role === 'device') return terminalClientId(principal.busId)
  if (principal.role === 'service') return principal.sub
  return undefined
}
