import type { PositionRow } from '../core/broker/telemetry-rows.js'
import type { Logger } from '../core/log/logger.js'
import type { BusLiveState, LivePosition } from './bus-live-state.js'
import type { LiveChannel } from './live-channel.js'

/** A bus's ETA for its running trip changed, or the bus has no running trip any more (tripId null). */
export interface EtaUpdate<Eta> {
  busId: string
  tripId: string | null
  eta: Eta | null
}

/** Follows each bus along its running trip; answers with the ETAs that changed. */
export interface LiveEtaEngine<Eta> {
  observe(positions: readonly PositionRow[]): Promise<EtaUpdate<Eta>[]>
  /** Re-estimates at `atMs` without new reports: a bus gone silent must say so. */
  tick(atMs: number): Promise<EtaUpdate<Eta>[]>
  /** Drops what it follows of these buses: another process publishes them now. */
  forget?(busIds: readonly string[]): void
}

/**
 * From committed telemetry to the browsers: each bus's newest position and its ETA go to the bus's
 * room and are kept as its latest state, in the order the batches were committed.
 */
export function createBusLiveFeed<Eta>(options: {
  live: Pick<LiveChannel, 'publishToBusWatchers'>
  state: BusLiveState<Eta>
  etas?: LiveEtaEngine<Eta>
  log: Logger
}) {
  const { live, state, etas, log } = options
  const keep = (saving: Promise<void>) =>
    saving.catch((error: unknown) => log.warn('could not keep the live state', { error: String(error) }))
  const publishEtas = (updates: readonly EtaUpdate<Eta>[]) => {
    for (const update of updates) {
      live.publishToBusWatchers(update.busId, 'eta', update)
      void keep(state.saveEta(update.busId, update.tripId, update.eta))
    }
  }
  const lastSentTs = new Map<string, string>()
  let queue: Promise<void> = Promise.resolve()
  const serialize = (work: () => Promise<void>) => {
    queue = queue
      .then(work)
      .catch((error: unknown) => log.error('live feed failed', { error: String(error) }))
    return queue
  }

  return {
    consume: (positions: readonly PositionRow[]) =>
      serialize(async () => {
        for (const position of newestPerBus(positions)) {
          // A report delivered late is stored, but the bus is not sent back to where it was.
          if ((lastSentTs.get(position.busId) ?? '') >= position.ts) continue
          lastSentTs.set(position.busId, position.ts)
          live.publishToBusWatchers(position.busId, 'position', position)
          void keep(state.savePosition(position))
        }
        if (etas) publishEtas(await etas.observe(positions))
      }),
    tick: (atMs: number) =>
      serialize(async () => {
        if (etas) publishEtas(await etas.tick(atMs))
      }),
    /**
     * Takes up these buses where the shared live state says they were last sent (by another
     * process, before a stream partition changed hands), so a replay does not send them back.
     */
    resume: (busIds: readonly string[]) =>
      serialize(async () => {
        for (const busId of busIds) {
          const sent = (await state.load(busId)).position?.ts
          if (sent && sent > (lastSentTs.get(busId) ?? '')) lastSentTs.set(busId, sent)
        }
      }),
    /**
     * Stops following these buses (their stream partition went to another process), so that two
     * processes never publish one bus's ETA; taken up again with the bus's next report.
     */
    forget: (busIds: readonly string[]) =>
      serialize(async () => {
        for (const busId of busIds) lastSentTs.delete(busId)
        etas?.forget?.(busIds)
      }),
    snapshotOf: (busId: string) => state.load(busId),
    drain: () => queue,
  }
}

/** Each bus's newest stored position in a batch; older ones are history, not news. */
function newestPerBus(positions: readonly PositionRow[]): LivePosition[] {
  const newest = new Map<string, PositionRow>()
  for (const position of positions) {
    const seen = newest.get(position.busId)
    if (!seen || seen.ts < position.ts) newest.set(position.busId, position)
  }
  return [...newest.values()].map((p) => ({
    busId: p.busId,
    ts: p.ts.toISOString(),
    lat: p.lat,
    lon: p.lon,
    speedKmh: p.speedKmh,
    headingDeg: p.headingDeg,
  }))
}
