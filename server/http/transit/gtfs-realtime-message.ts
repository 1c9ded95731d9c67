import GtfsRealtimeBindings from 'gtfs-realtime-bindings'

export const { transit_realtime: gtfsRealtime } = GtfsRealtimeBindings
export type FeedMessage = GtfsRealtimeBindings.transit_realtime.FeedMessage
export type FeedEntity = GtfsRealtimeBindings.transit_realtime.IFeedEntity

/** Whole seconds since the epoch, as GTFS-Realtime counts time. */
export const toUnixS = (at: Date | string): number => Math.floor(new Date(at).getTime() / 1000)

/** A complete feed as of `now`: every entity the platform knows of, none left over from before. */
export function fullDataset(entities: FeedEntity[], now: Date): FeedMessage {
  return gtfsRealtime.FeedMessage.create({
    header: {
      gtfsRealtimeVersion: '2.0',
      incrementality: gtfsRealtime.FeedHeader.Incrementality.FULL_DATASET,
      timestamp: toUnixS(now),
    },
    entity: entities,
  })
}

/** The feed as protocol buffers, as transit apps read it. */
export const encodeFeed = (message: FeedMessage): Uint8Array =>
  gtfsRealtime.FeedMessage.encode(message).finish()

/** The feed as JSON (field names as the bindings give them, enums by name), for people reading it. */
export const feedToJson = (message: FeedMessage): Record<string, unknown> =>
  gtfsRealtime.FeedMessage.toObject(message, { longs: Number, enums: String })
