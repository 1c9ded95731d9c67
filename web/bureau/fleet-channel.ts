import type { io as socketIoClient, Socket } from 'socket.io-client'
import { positionSchema, type BusPosition } from '../shared/bus-live-contract.js'
import { reconnectBackoff, reconnectDelayMs } from '../shared/reconnect-backoff.js'
import {
  alarmCaseChangeSchema,
  busEventSchema,
  type AlarmCaseChange,
  type BusEvent,
} from './bureau-contract.js'

export interface FleetChannelHandlers {
  online(isOnline: boolean): void
  /** The session is over: the page signs in again. */
  refused(): void
  position(position: BusPosition): void
  /** A derived event or alarm of a watched bus (its staff room). */
  event(event: BusEvent): void
  /** A case of the inbox opened or changed (the bureau's or the school's own room). */
  alarmCase(change: AlarmCaseChange): void
}

type SubscribeAck = { ok: true } | { ok: false; error: { code: string; message: string } }

const subscribeTimeoutMs = 15_000
/** After a subscribe refused for going too fast, the next waits this long (the server refills 2 a second). */
const slowDownMs = 600

/**
 * The live channel for the whole console on one socket: the inbox's cases come to the room every
 * bureau (or school) socket is in from the start; positions and events come per bus, so the page
 * subscribes to each bus it shows, one after another, slowing down when the server says so (it
 * allows a burst of 20 and then 2 a second). Whatever ends the connection, it comes back with
 * backoff and subscribes again, and the server answers each subscribe with the bus's state.
 */
export function connectFleetChannel(options: { token: string; handlers: FleetChannelHandlers }) {
  const { handlers } = options
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
  /** The buses the page shows; those subscribed on this connection. */
  let wanted = new Set<string>()
  let subscribed = new Set<string>()
  let subscribing = false

  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

  /** Subscribes to every wanted bus not yet subscribed on this connection, one at a time. */
  const subscribeAll = async () => {
    if (subscribing) return
    subscribing = true
    try {
      for (;;) {
        const busId = [...wanted].find((id) => !subscribed.has(id))
        if (!busId || closed || !socket.connected) return
        let ack: SubscribeAck
        try {
          ack = (await socket.timeout(subscribeTimeoutMs).emitWithAck('subscribe', { busId })) as SubscribeAck
        } catch {
          await pause(slowDownMs)
          continue
        }
        if (ack.ok) subscribed.add(busId)
        else if (ack.error.code === 'unauthenticated') return handlers.refused()
        else if (ack.error.code === 'forbidden') wanted.delete(busId)
        else await pause(slowDownMs)
      }
    } finally {
      subscribing = false
    }
  }

  const connectLater = () => {
    clearTimeout(retryTimer)
    retryTimer = setTimeout(() => {
      if (!closed && !socket.connected) socket.connect()
    }, reconnectDelayMs(attempt++))
  }

  socket.on('connect', () => {
    attempt = 0
    subscribed = new Set()
    handlers.online(true)
    void subscribeAll()
  })
  socket.on('disconnect', (reason) => {
    handlers.online(false)
    if (reason === 'io server disconnect' && !closed) connectLater()
  })
  socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
    if (closed) return
    if (error.data?.code === 'unauthenticated') {
      clearTimeout(retryTimer)
      socket.disconnect()
      handlers.refused()
      return
    }
    handlers.online(false)
    if (!socket.active) connectLater()
  })
  const listen = <T>(
    event: string,
    schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
    handle: (payload: T) => void,
  ) =>
    socket.on(event, (payload: unknown) => {
      const parsed = schema.safeParse(payload)
      if (parsed.success) handle(parsed.data)
    })
  listen('position', positionSchema, handlers.position)
  // The snapshot a subscribe is answered with: the bus's newest position.
  listen('state', { safeParse: (v: unknown) => statePosition(v) }, handlers.position)
  listen('event', busEventSchema, handlers.event)
  listen('alarm_case', alarmCaseChangeSchema, handlers.alarmCase)

  return {
    /** The buses the page shows now: new ones are subscribed, the others left. */
    watch(busIds: readonly string[]) {
      const next = new Set(busIds)
      for (const busId of subscribed) {
        if (next.has(busId)) continue
        socket.emit('unsubscribe', { busId })
        subscribed.delete(busId)
      }
      wanted = next
      void subscribeAll()
    },
    close() {
      closed = true
      clearTimeout(retryTimer)
      socket.disconnect()
    },
  }
}

/** The position inside a `state` snapshot, where it has one. */
function statePosition(value: unknown): { success: true; data: BusPosition } | { success: false } {
  const position = (value as { position?: unknown } | null)?.position
  const parsed = positionSchema.safeParse(position)
  return parsed.success ? { success: true, data: parsed.data } : { success: false }
}
