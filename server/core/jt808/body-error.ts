/**
 * Thrown by a body decoder when a body cannot be read; the gateway drops that one message with the
 * reason and goes on with the connection's other frames.
 */
export type Jt808BodyErrorReason = 'short_body' | 'bad_time'

export class Jt808BodyError extends Error {
  readonly reason: Jt808BodyErrorReason

  constructor(reason: Jt808BodyErrorReason, message: string) {
    super(message)
    this.name = 'Jt808BodyError'
    this.reason = reason
  }
}

/** Throws unless `body` holds at least `bytes` bytes. */
export function requireBodyBytes(body: Buffer, bytes: number, what: string): void {
  if (body.length < bytes) {
    throw new Jt808BodyError('short_body', `${what}: ${body.length} bytes, at least ${bytes} needed`)
  }
}
