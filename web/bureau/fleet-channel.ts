import { positionSchema, type BusPosition } from '../shared/bus-live-contract.js'
import { openLiveSocket, type SubscribeAck } from '../shared/live-socket.js'
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
        if (!busId || live.isClosed() || !live.socket.connected) return
        let ack: SubscribeAck
        try {
          ack = (await live.socket
            .timeout(subscribeTimeoutMs)
            .emitWithAck('subscribe', { busId })) as SubscribeAck
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

  const live = openLiveSocket({
    token: options.token,
    online: handlers.online,
    refused: handlers.refused,
    connected: () => {
      subscribed = new Set()
      void subscribeAll()
    },
  })
  live.listen('position', positionSchema, handlers.position)
  // The snapshot a subscribe is answered with: the bus's newest position.
  live.listen('state', { safeParse: (v: unknown) => statePosition(v) }, handlers.position)
  live.listen('event', busEventSchema, handlers.event)
  live.listen('alarm_case', alarmCaseChangeSchema, handlers.alarmCase)

  return {
    /** The buses the page shows now: new ones are subscribed, the others left. */
    watch(busIds: readonly string[]) {
      const next = new Set(busIds)
      for (const busId of subscribed) {
        if (next.has(busId)) continue
        live.socket.emit('unsubscribe', { busId })
        subscribed.delete(busId)
      }
      wanted = next
      void subscribeAll()
    },
    close: live.close,
  }
}

/** The position inside a `state` snapshot, where it has one. */
function statePosition(value: unknown): { success: true; data: BusPosition } | { success: false } {
  const position = (value as { position?: unknown } | null)?.position
  const parsed = positionSchema.safeParse(position)
  return parsed.success ? { success: true, data: parsed.data } : { success: false }
}
