import type { Jt808Header } from '../../server/core/jt808/decode-frame.js'
import type { ConnectionContext, Frame, Outgoing } from './connection-context.js'
import type { ConnectionState } from './connection-state.js'
import type { Jt808DropReason } from './gateway-stats.js'

export interface FrameRefusal {
  reason: Jt808DropReason
  detail: string
  evidence: Buffer
  /** Without it (a frame that failed its checksum), nothing is answered. */
  header?: Jt808Header
  serials?: number[]
  /** The 0x8001 result to answer with; none, and the frame is not answered. */
  result?: number
}

/** A frame that goes no further: counted, kept as a dead letter when the terminal is known, answered when it can be. */
export function refuseFrame(ctx: ConnectionContext, refusal: FrameRefusal): void {
  ctx.host.stats.dropped[refusal.reason]++
  const { header } = refusal
  const frame: Frame | undefined = header
    ? {
        header,
        body: Buffer.alloc(0),
        serials: refusal.serials ?? [header.serial],
        evidence: refusal.evidence,
      }
    : undefined
  const dead = toDeadLetter(ctx.record.state, refusal.evidence, `${refusal.reason}: ${refusal.detail}`)
  if (frame && refusal.result !== undefined) ctx.deliverThenAnswer(frame, dead ? [dead] : [], refusal.result)
  else if (dead) ctx.deliverThenAnswer(undefined, [dead])
}

/**
 * Bad frames become dead letters only from an authenticated terminal: before that, anyone can
 * connect, and what a stranger sends is counted, not stored.
 */
export function toDeadLetter(state: ConnectionState, evidence: Buffer, detail: string): Outgoing | undefined {
  const { phase } = state
  if (phase.kind !== 'authenticated') return undefined
  return {
    topic: `jt808/${phase.terminalNumber}`,
    payload: evidence,
    rejected: { reason: 'bad_frame', detail },
  }
}
