/** Why a frame (or bytes that were meant as one) went no further than the gateway; each has a counter. */
export const jt808DropReasons = [
  /** Bytes between frames that read as none. */
  'garbage',
  /** A 0x7D not followed by 01 or 02. */
  'bad_escape',
  /** Longer than the gateway takes (unescaped). */
  'too_long',
  'bad_checksum',
  /** Fewer bytes than the header and its body length field say. */
  'truncated',
  /** More bytes than the body length field says. */
  'bad_length',
  /** RSA-encrypted bodies: no key is exchanged with terminals. */
  'encrypted',
  /** A packet of a split message that cannot belong to one (index out of range, too many parts). */
  'bad_split',
  /** A split message whose other packets never came. */
  'split_incomplete',
  /** A body its decoder could not read (short, a time that is none, a bad item length). */
  'bad_body',
  /** A message id the gateway does not handle (answered 0x8001 result 3). */
  'unknown_message',
  /** Anything but registration or authentication before authenticating (answered result 1). */
  'unauthenticated',
  /** A frame carrying another terminal's number than the connection authenticated with. */
  'terminal_mismatch',
  /** Over the connection's frame budget. */
  'rate_limited',
] as const
export type Jt808DropReason = (typeof jt808DropReasons)[number]

/** Why the gateway closed a connection (or saw it closed); each has a counter. */
export const jt808CloseReasons = [
  /** The terminal hung up, or the network did. */
  'peer',
  /** Silent for longer than its heartbeats allow. */
  'idle',
  /** Kept sending over its budget. */
  'flooding',
  /** Too many refused registrations or authentications. */
  'failed_attempts',
  /** The terminal connected again: the newer connection wins. */
  'replaced',
  /** Its credential was ended (revoked, rotated or expired). */
  'session_ended',
  /** The terminal logged out (0x0003). */
  'unregistered',
  'socket_error',
  /** The gateway is stopping. */
  'stopping',
] as const
export type Jt808CloseReason = (typeof jt808CloseReasons)[number]

export interface Jt808GatewayStats {
  listening: boolean
  /** Open now, and of those authenticated. */
  connections: number
  authenticated: number
  /** Connections accepted since the start. */
  accepted: number
  frames: {
    /** Frames cut from the byte streams, good or bad. */
    received: number
    /** Decoded frames by message id (`0x0200`). */
    byMessageId: Record<string, number>
  }
  dropped: Record<Jt808DropReason, number>
  /** Frames sent to terminals. */
  replies: number
  /** Requests to resend the missing packets of a split message (0x8003), among the frames sent. */
  resendRequests: number
  registrations: { accepted: number; refused: number }
  authentications: { accepted: number; refused: number }
  closed: Record<Jt808CloseReason, number>
  /** Locations handed to the ingest whose frame waits for them to be stored before it is answered. */
  reportsAwaitingStore: number
  /** Registrations and authentications left unanswered because the store failed. */
  storeErrors: number
  /**
   * Commands sent to terminals, answered by them, and given up unanswered on their connection; and
   * the copies of unanswered ones sent again (among the frames sent, not among the commands).
   */
  commands: { sent: number; answered: number; timedOut: number; resent: number }
}

export function createGatewayStats(): Jt808GatewayStats {
  return {
    listening: false,
    connections: 0,
    authenticated: 0,
    accepted: 0,
    frames: { received: 0, byMessageId: {} },
    dropped: Object.fromEntries(jt808DropReasons.map((r) => [r, 0])) as Record<Jt808DropReason, number>,
    replies: 0,
    resendRequests: 0,
    registrations: { accepted: 0, refused: 0 },
    authentications: { accepted: 0, refused: 0 },
    closed: Object.fromEntries(jt808CloseReasons.map((r) => [r, 0])) as Record<Jt808CloseReason, number>,
    reportsAwaitingStore: 0,
    storeErrors: 0,
    commands: { sent: 0, answered: 0, timedOut: 0, resent: 0 },
  }
}

/** A copy the caller may keep: the counters go on changing. */
export function copyGatewayStats(stats: Jt808GatewayStats): Jt808GatewayStats {
  return {
    ...stats,
    frames: { received: stats.frames.received, byMessageId: { ...stats.frames.byMessageId } },
    dropped: { ...stats.dropped },
    registrations: { ...stats.registrations },
    authentications: { ...stats.authentications },
    closed: { ...stats.closed },
    commands: { ...stats.commands },
  }
}

/** `0x0200`: message ids as the standard writes them. */
export function formatMessageId(messageId: number): string {
  return `0x${messageId.toString(16).padStart(4, '0')}`
}
