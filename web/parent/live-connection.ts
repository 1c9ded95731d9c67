import type { io as socketIoClient, Socket } from 'socket.io-client'
import type * as z from 'zod/mini'
import {
  busStateSchema,
  etaEventSchema,
  noticeEventSchema,
  positionSchema,
  unsubscribedEventSchema,
  type BusPosition,
  type BusState,
  type NoticeEvent,
  type TripEta,
} from './parent-contract.js'

export interface LiveHandlers {
  /** The bus's whole state: after each (re)subscription, so nothing missed while offline lingers. */
  state(state: BusState): void
  position(position: BusPosition): void
  eta(update: { tripId: string | null; eta: TripEta | null }): void
  notice(notice: NoticeEvent): void
  /** The server took the bus away from this page (the trip is over, the token expired). */
  unsubscribed(reason: string): void
  online(isOnline: boolean): void
  refused(kind: 'unauthenticated' | 'forbidden'): void
}

const subscribeTimeoutMs = 15_000
const resubscribeDelayMs = 5_000

type SubscribeAck = { ok: true } | { ok: false; error: { code: string; message: string } }

/**
 * The live channel for one bus. socket.io reconnects by itself after a dropped connection; each
 * time, the page subscribes again and the server answers with the bus's current state.
 */
export function connectLive(options: { token: string; busId: string; handlers: LiveHandlers }): {
  close(): void
} {
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

  const on = <T>(event: string, schema: z.ZodMiniType<T>, handle: (payload: T) => void) =>
    socket.on(event, (payload: unknown) => {
      const parsed = schema.safeParse(payload)
      if (parsed.success) handle(parsed.data)
      else console.warn(`ignored a ${event} event the page cannot read`)
    })
  on('state', busStateSchema, (state) => state.busId === busId && handlers.state(state))
  on('position', positionSchema, (position) => position.busId === busId && handlers.position(position))
  on('eta', etaEventSchema, (update) => update.busId === busId && handlers.eta(update))
  on('notice', noticeEventSchema, handlers.notice)
  on('unsubscribed', unsubscribedEventSchema, (event) => {
    if (event.busId === undefined || event.busId === busId) handlers.unsubscribed(event.reason)
  })

  return {
    close() {
      closed = true
      socket.disconnect()
    },
  }
}
