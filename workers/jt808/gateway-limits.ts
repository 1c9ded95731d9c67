/** What the gateway allows each connection. */
export interface Jt808GatewayLimits {
  /** A frame longer than this, unescaped, is dropped: the largest body is 1023 bytes, split or not. */
  maxFrameBytes: number
  /** The heartbeat interval terminals are set to (0x8103 parameter 0x0001's default). */
  heartbeatIntervalS: number
  /** A terminal silent for this many heartbeat intervals is taken as gone, and its connection closed. */
  idleHeartbeats: number
  /** Frames a connection may send: `burst` at once (a buffer uploaded after a coverage gap), then `perS`. */
  frameBudget: { burst: number; perS: number }
  /** Frames over the budget a connection may send before it is closed. */
  floodBudget: { burst: number; perS: number }
  /** Refused registrations and authentications before the connection is closed. */
  maxFailedAttempts: number
  maxSplitParts: number
  /** A split message whose packets stop coming for this long is given up. */
  splitTimeoutMs: number
  /**
   * Missing packets of a split message are asked for again (0x8003) once its last packet shows gaps,
   * and after this long without a packet or a request, at most `splitResendAttempts` times.
   */
  splitResendAfterMs: number
  splitResendAttempts: number
  /** Frames waiting for a registration or authentication to finish before the socket is not read. */
  maxQueuedFrames: number
  /** Open connections the listener takes at once. */
  maxConnections: number
  /**
   * Connections the kernel holds for the listener until it accepts them. Node's default of 511 is
   * far too few when a fleet reconnects at once (the gateway restarted, a mobile network came back):
   * a full queue drops handshakes, and the terminals' first frames then wait out TCP's retransmission
   * backoff (seconds, then tens of seconds) before the gateway sees them. The kernel caps it at
   * net.core.somaxconn.
   */
  acceptBacklog: number
  /** How often the store is asked for commands to send to the connected terminals. */
  commandPollMs: number
  /** A command the terminal has not answered within this long is given up as timed out. */
  commandAnswerTimeoutMs: number
  /**
   * An unanswered command goes out again, the same frame with the same serial, as JT/T 808's
   * retransmission has it: `commandResendAfterMs` (T1) after the first send, then each wait the one
   * before times the number of sends (T(N+1) = T(N) × (N+1)), at most `commandResends` times and
   * only before the answer timeout. A frame lost on a mobile network then costs seconds, not the
   * command.
   */
  commandResendAfterMs: number
  commandResends: number
}

export const defaultGatewayLimits: Jt808GatewayLimits = {
  maxFrameBytes: 4096,
  heartbeatIntervalS: 60,
  idleHeartbeats: 3,
  frameBudget: { burst: 200, perS: 20 },
  floodBudget: { burst: 200, perS: 2 },
  maxFailedAttempts: 3,
  maxSplitParts: 256,
  splitTimeoutMs: 60_000,
  splitResendAfterMs: 10_000,
  splitResendAttempts: 2,
  maxQueuedFrames: 1000,
  maxConnections: 20_000,
  acceptBacklog: 8192,
  commandPollMs: 1000,
  commandAnswerTimeoutMs: 30_000,
  commandResendAfterMs: 8_000,
  commandResends: 2,
}
