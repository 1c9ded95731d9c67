import { createHash } from 'node:crypto'
import type { DeadLetterReason } from '../../server/core/broker/dead-letter-reasons.js'
import { toStorableText } from './storable-text.js'

export interface DeadLetterRow {
  topic: string
  /** The first `deadLetterPayloadBytes` of what the device sent. */
  payloadExcerpt: Buffer
  /** The size of the whole payload. */
  payloadBytes: number
  reason: DeadLetterReason
  detail: string
  /** sha256 of the whole topic and payload: a redelivered message is the same dead letter. */
  messageKey: Buffer
}

/**
 * Enough of a payload to see what a device sends wrong. A dead letter is evidence, not an archive:
 * keeping whole payloads let one device fill the store (a megabyte per message on a real broker).
 */
export const deadLetterPayloadBytes = 1024
const maxTopicChars = 256
const maxDetailChars = 500

/** A message the ingest refuses, ready for the store whatever bytes the device sent. */
export function createDeadLetter(
  message: { topic: string; payload: Buffer },
  reason: DeadLetterReason,
  detail: string,
): DeadLetterRow {
  return {
    topic: toStorableText(message.topic, maxTopicChars),
    payloadExcerpt: Buffer.from(message.payload.subarray(0, deadLetterPayloadBytes)),
    payloadBytes: message.payload.length,
    reason,
    detail: toStorableText(detail, maxDetailChars),
    messageKey: createHash('sha256').update(message.topic).update('\0').update(message.payload).digest(),
  }
}
