/** Why a message went to the dead-letter table; each has a counter. */
export const deadLetterReasons = [
  'oversized_payload',
  'unknown_topic',
  'unknown_bus',
  'malformed_json',
  'topic_mismatch',
  'missing_field',
  'wrong_type',
  'out_of_range',
  'swapped_lat_lon',
  'null_island',
  'outside_service_area',
  'future_timestamp',
  'stale_timestamp',
  'impossible_speed',
  'impossible_jump',
  /** The bus's terminal sent more than its report budget allows (see report-rate-limiter.ts). */
  'rate_limited',
  /** Passed validation, yet the store refused it (found by splitting the batch that failed). */
  'store_refused',
  /**
   * A JT/T 808 frame the gateway could not take: a bad checksum, a broken escape, too long, an
   * unknown message id or a body that does not decode (the detail names which).
   */
  'bad_frame',
  /** A JT/T 808 location whose terminal had no satellite fix: kept as evidence, not as a position. */
  'no_fix',
] as const

export type DeadLetterReason = (typeof deadLetterReasons)[number]
