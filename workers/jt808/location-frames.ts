import { decodeLocation } from '../../server/core/jt808/decode-location.js'
import { decodeLocationBatch } from '../../server/core/jt808/decode-location-batch.js'
import type { ConnectionContext, Frame, Outgoing } from './connection-context.js'
import type { ConnectionState } from './connection-state.js'
import { toDeadLetter } from './frame-refusal.js'
import { toLocationReport, type LocationReport } from './location-report.js'

export function deliverLocation(ctx: ConnectionContext, frame: Frame): void {
  ctx.deliverThenAnswer(frame, [reportLocation(ctx.record.state, decodeLocation(frame.body))])
}

/** 0x0704: what could be read is stored, and the frame is kept as a dead letter for the rest. */
export function deliverLocationBatch(ctx: ConnectionContext, frame: Frame): void {
  const batch = decodeLocationBatch(frame.body)
  const messages: Outgoing[] = batch.locations.map((location) => reportLocation(ctx.record.state, location))
  if (batch.droppedItems > 0) {
    ctx.host.stats.dropped.bad_body++
    const dead = toDeadLetter(
      ctx.record.state,
      frame.evidence,
      `bad_body: ${batch.droppedItems} locations of the batch could not be read`,
    )
    if (dead) messages.push(dead)
  }
  ctx.deliverThenAnswer(frame, messages)
}

export function reportLocation(
  state: ConnectionState,
  location: Parameters<typeof toLocationReport>[1],
): LocationReport {
  const { phase } = state
  if (phase.kind !== 'authenticated') throw new Error('a location before authentication')
  return toLocationReport(phase.busId, location)
}
