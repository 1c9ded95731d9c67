import type { io as socketIoClient, Socket } from 'socket.io-client'
import { reconnectBackoff, reconnectDelayMs } from './reconnect-backoff.js'

/** What a page's schema gives for a payload: the data, or that it could not read it. */
export interface PayloadSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false }
}

/** The server's answer to a subscribe. */
export type SubscribeAck = { ok: true } | { ok: false; error: { code: string; message: string } }

export interface LiveSocket {
  socket: Socket
  /** Registers a handler for one event, given only payloads its schema accepts. */
  listen<T>(event: string, schema: PayloadSchema<T>, handle: (payload: T) => void): void
  isClosed(): boolean
  close(): void
}

/**
 * A socket to the live channel that comes back whatever ends a connection, with backoff
 * (reconnect-backoff.ts): socket.io by itself after a dropped transport, this code after a server
 * that sent the socket away or refused the handshake for a reason other than the token, which
 * socket.io would leave at that. Only the server's token check is final (`refused`). `connected`
 * runs at each connection, for the page to subscribe again: the server answers each subscribe with
 * the current state, so a page catches up on what it missed.
 */
export function openLiveSocket(options: {
  token: string
  online(isOnline: boolean): void
  refused(): void
  connected(): void
}): LiveSocket {
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

  socket.on('connect', () => {
    attempt = 0
    options.online(true)
    options.connected()
  })
  socket.on('disconnect', (reason) => {
    options.online(false)
    // The server sent this socket away (shutting down, or its session is checked again): socket.io
    // leaves it at that; the handshake of the next try says whether the token still holds.
    if (reason === 'io server disconnect' && !closed) connectLater()
  })
  socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
    if (closed) return
    if (error.data?.code === 'unauthenticated') {
      clearTimeout(retryTimer)
      socket.disconnect()
      options.refused()
      return
    }
    options.online(false)
    // A handshake refused by the server (too many connections, a store that could not answer)
    // leaves the socket inactive; a network error does not, and socket.io tries again itself.
    if (!socket.active) connectLater()
  })

  return {
    socket,
    listen: (event, schema, handle) =>
      socket.on(event, (payload: unknown) => {
        const parsed = schema.safeParse(payload)
        if (parsed.success) handle(parsed.data)
        else console.warn(`ignored a ${event} event the page cannot read`)
      }),
    isClosed: () => closed,
    close() {
      closed = true
      clearTimeout(retryTimer)
      socket.disconnect()
    },
  }
}
