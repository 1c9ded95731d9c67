import type { PositionRow } from '../../workers/ingest/validate-telemetry.js'
import type { LiveChannel } from './live-channel.js'

/** Sends each bus's newest stored position in a batch to its room; older ones are history. */
export function publishCommittedPositions(
  live: Pick<LiveChannel, 'publishToBus'>,
  positions: readonly PositionRow[],
) {
  const newest = new Map<string, PositionRow>()
  for (const position of positions) {
    const seen = newest.get(position.busId)
    if (!seen || seen.ts < position.ts) newest.set(position.busId, position)
  }
  for (const [busId, p] of newest) {
    live.publishToBus(busId, 'position', {
      busId,
      ts: p.ts.toISOString(),
      lat: p.lat,
      lon: p.lon,
      speedKmh: p.speedKmh,
      headingDeg: p.headingDeg,
    })
  }
}
