import { Server } from 'socket.io'
import type { Logger } from '../core/log/logger.js'
import type { LiveChannel } from './live-channel.js'
import { connectRedisAdapter, createRoomPublishing, type RoomPublishing } from './room-publishing.js'

/**
 * What a part sends to browsers, whether this process holds their sockets (the live channel) or
 * not (`createLivePublisher`): the same events reach the same rooms either way.
 */
export type LivePublisher = RoomPublishing & Pick<LiveChannel, 'isUp' | 'close'>

/**
 * The live channel's publishing side for a process that holds no sockets (no live part): a
 * socket.io server attached to nothing, whose emits go through the Redis adapter to the sockets of
 * every server process that runs the live part. Without Redis there is no one to reach: it logs so
 * once, and what the parts derive is stored but not pushed.
 */
export async function createLivePublisher(options: {
  redisUrl?: string
  log: Logger
}): Promise<LivePublisher> {
  const { log } = options
  if (!options.redisUrl) {
    log.warn(
      'no live part in this process and no REDIS_URL: events and alarms are stored, but not pushed to browsers',
    )
  }
  const io = new Server({ serveClient: false })
  const redis = options.redisUrl ? await connectRedisAdapter(io, options.redisUrl, log) : undefined
  let up = true
  return {
    // Without Redis an emit would reach no socket: this process holds none.
    ...createRoomPublishing((rooms, event, payload) => {
      if (redis) io.to(rooms).emit(event, payload)
    }),
    isUp: () => up && (redis ? redis.isReady() : true),
    async close() {
      if (!up) return
      up = false
      // Not io.close(): a server attached to nothing has no engine to close.
      await Promise.resolve(io.of('/').adapter.close()).catch(() => undefined)
      await redis?.close()
    },
  }
}
