import { createHash } from 'node:crypto'
import { expect, it } from 'vitest'
import { createDeadLetter, deadLetterPayloadBytes } from './dead-letter-row.js'

it('keeps the first KiB of a huge payload, its full size and the key of all of it', () => {
  const payload = Buffer.alloc(1_000_000, 'x')
  const dead = createDeadLetter({ topic: 'bus/B1/gps', payload }, 'oversized_payload', 'too big')
  expect(dead.payloadExcerpt).toEqual(payload.subarray(0, deadLetterPayloadBytes))
  expect(dead.payloadBytes).toBe(1_000_000)
  expect(dead.messageKey).toEqual(
    createHash('sha256').update('bus/B1/gps').update('\0').update(payload).digest(),
  )
  // A copy, so the megabyte itself is not held on to.
  expect(dead.payloadExcerpt.buffer).not.toBe(payload.buffer)
})

it('makes the topic and detail storable: no NUL, no broken surrogate, bounded length', () => {
  const dead = createDeadLetter(
    { topic: `bus/B1\u0000/gps${'/x'.repeat(1000)}`, payload: Buffer.from('{}') },
    'topic_mismatch',
    `payload is for bus B1\u0000\uD800, topic for B1${'!'.repeat(1000)}`,
  )
  expect(dead.topic).not.toContain('\0')
  expect(dead.topic.startsWith('bus/B1\u2400/gps')).toBe(true)
  expect(dead.topic.length).toBeLessThanOrEqual(256)
  expect(dead.detail).toMatch(/^payload is for bus B1\u2400\uFFFD, topic for B1!+…$/)
  expect(dead.detail.length).toBeLessThanOrEqual(500)
})
