import type * as z from 'zod/mini'
import { openLiveSocket, type SubscribeAck } from './live-socket.js'

export interface BusChannelHandlers {
  online(isOnline: boolean): void
  refused(kind: 'unauthenticated' | 'forbidden'): void
}

/** Registers a handler for one event of the room, given only payloads its schema accepts. */
export type ListenTo = <T>(event: string, schema: z.ZodMiniType<T>, handle: (payload: T) => void) => void

const subscribeTimeoutMs = 15_000
const resubscribeDelayMs = 5_000

/**
 * The live channel for one bus, on a socket that comes back by itself (live-socket.ts): each time
 * it is back, the page subscribes again and the server answers with the bus's current state.
 * `listen` names the room's events the page wants.
 */
export function connectBusChannel(options: {
  token: string
  busId: string
  handlers: BusChannelHandlers
  listen: (on: ListenTo) => void
}): { close(): void } {
  const { busId, handlers } = options
  const subscribe = async () => {
    let ack: SubscribeAck
    try {
      ack = (await live.socket
        .timeout(subscribeTimeoutMs)
        .emitWithAck('subscribe', { busId })) as SubscribeAck
    } catch {
      if (!live.isClosed() && live.socket.connected) setTimeout(() => void subscribe(), resubscribeDelayMs)
      return
    }
    if (ack.ok || live.isClosed()) return
    if (ack.error.code === 'forbidden' || ack.error.code === 'unauthenticated')
      handlers.refused(ack.error.code)
    else setTimeout(() => void subscribe(), resubscribeDelayMs)
  }
  const live = openLiveSocket({
    token: options.token,
    online: handlers.online,
    refused: () => handlers.refused('unauthenticated'),
    connected: () => void subscribe(),
  })
  options.listen(live.listen)
  return { close: live.close }
}
