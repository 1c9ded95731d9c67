import type { io as socketIoClient, Socket } from 'socket.io-client'
import type * as z from 'zod/mini'
import { reconnectBackoff, reconnectDelayMs } from './reconnect-backoff.js'

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
 * The live channel for one bus. Whatever ends a connection, the page tries again with backoff
 * (reconnect-backoff.ts): socket.io by itself after a dropped transport, the page after a server
 * that sent the socket away or refused the handshake for a reason other than the token, which
 * socket.io would leave at that. Each time it is back, the page subscribes again and the server
 * answers with the bus's current state. `listen` names the room's events the page wants.
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
  const socket: Socket = io({
    auth: { token: options.token },
    transports: ['websocket'],
    reconnectionDelay: reconnectBackoff.baseMs,
    reconnectionDelayMax: reconnectBackoff.maxMs,
    randomizationFactor: reconnectBackoff.jitter,
  })
  let closed = false
  let attempt = 0
  let retryTimer: ReturnType<typeof setTimeout> | undefined

  /** Connects again after a while, where socket.io would not by itself. */
  const connectLater = () => {
    clearTimeout(retryTimer)
    retryTimer = setTimeout(() => {
      if (!closed && !socket.connected) socket.connect()
    }, reconnectDelayMs(attempt++))
  }

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
    attempt = 0
    handlers.online(true)
    void subscribe()
  })
  socket.on('disconnect', (reason) => {
    handlers.online(false)
    // The server sent this socket away (shutting down, or its session is checked again): socket.io
    // leaves it at that; the handshake of the next try says whether the token still holds.
    if (reason === 'io server disconnect' && !closed) connectLater()
  })
  socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
    if (closed) return
    // Only the server's token check is final; anything else is the network or a busy server.
    if (error.data?.code === 'unauthenticated') {
      clearTimeout(retryTimer)
      socket.disconnect()
      handlers.refused('unauthenticated')
      return
    }
    handlers.online(false)
    // A handshake refused by the server (too many connections, a store that could not answer)
    // leaves the socket inactive; a network error does not, and socket.io tries again itself.
    if (!socket.active) connectLater()
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
      clearTimeout(retryTimer)
      socket.disconnect()
    },
  }
}
