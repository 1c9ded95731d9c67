import type { io as socketIoClient, Socket } from 'socket.io-client'
import type * as z from 'zod/mini'

export interface BusChannelHandlers {
  online(isOnline: boolean): void
  refused(kind: 'unauthenticated' | 'forbidden'): void
}

/** Registers a handler for one event of the room, given only payloads its schema accepts. */
export type ListenTo = <T>(event: string, schema: z.ZodMiniType<T>, handle: (payload: T) => void) => void

const subscribeTimeoutMs = 15_000
const resubscribeDelayMs = 5_000

type SubscribeAck = { ok: true } | { ok: false; error: { code: string; message: string } }

/**
 * The live channel for one bus. socket.io reconnects by itself after a dropped connection; each
 * time, the page subscribes again and the server answers with the bus's current state. `listen`
 * names the room's events the page wants.
 */
export function connectBusChannel(options: {
  token: string
  busId: string
  handlers: BusChannelHandlers
  listen: (on: ListenTo) => void
}): { close(): void } {
  const { busId, handlers } = options
  const io = (globalThis as { io?: typeof socketIoClient }).io
  if (!io) throw new Error('the socket.io client script did not load')
  const socket: Socket = io({ auth: { token: options.token }, transports: ['websocket'] })
  let closed = false

  const subscribe = async () => {
    let ack: SubscribeAck
    try {
      ack = (await socket.timeout(subscribeTimeoutMs).emitWithAck('subscribe', { busId })) as SubscribeAck
    } catch {
      if (!closed && socket.connected) setTimeout(() => void subscribe(), resubscribeDelayMs)
      return
    }
    if (ack.ok || closed) return
    if (ack.error.code === 'forbidden' || ack.error.code === 'unauthenticated')
      handlers.refused(ack.error.code)
    else setTimeout(() => void subscribe(), resubscribeDelayMs)
  }

  socket.on('connect', () => {
    handlers.online(true)
    void subscribe()
  })
  socket.on('disconnect', () => handlers.online(false))
  socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
    // A refusal by the server's token check is final (socket.io gives up); anything else is the
    // network, and socket.io tries again by itself.
    if (!socket.active || error.data?.code === 'unauthenticated') {
      socket.disconnect()
      handlers.refused('unauthenticated')
    } else handlers.online(false)
  })

  options.listen((event, schema, handle) =>
    socket.on(event, (payload: unknown) => {
      const parsed = schema.safeParse(payload)
      if (parsed.success) handle(parsed.data)
      else console.warn(`ignored a ${event} event the page cannot read`)
    }),
  )

  return {
    close() {
      closed = true
      socket.disconnect()
    },
  }
}
