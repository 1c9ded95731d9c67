import { connectBusChannel, type BusChannelHandlers } from '../shared/bus-channel.js'
import {
  busStateSchema,
  etaEventSchema,
  positionSchema,
  unsubscribedEventSchema,
  type BusPosition,
  type BusState,
  type TripEta,
} from '../shared/bus-live-contract.js'
import { noticeEventSchema, type NoticeEvent } from './parent-contract.js'

export interface LiveHandlers extends BusChannelHandlers {
  /** The bus's whole state: after each (re)subscription, so nothing missed while offline lingers. */
  state(state: BusState): void
  position(position: BusPosition): void
  eta(update: { tripId: string | null; eta: TripEta | null }): void
  notice(notice: NoticeEvent): void
  /** The server took the bus away from this page (the trip is over, the token expired). */
  unsubscribed(reason: string): void
}

/** The parent's view of the bus's room: where it is, its ETA, and notices about the child. */
export function connectLive(options: { token: string; busId: string; handlers: LiveHandlers }): {
  close(): void
} {
  const { busId, handlers } = options
  return connectBusChannel({
    token: options.token,
    busId,
    handlers,
    listen: (on) => {
      on('state', busStateSchema, (state) => state.busId === busId && handlers.state(state))
      on('position', positionSchema, (position) => position.busId === busId && handlers.position(position))
      on('eta', etaEventSchema, (update) => update.busId === busId && handlers.eta(update))
      on('notice', noticeEventSchema, handlers.notice)
      on('unsubscribed', unsubscribedEventSchema, (event) => {
        if (event.busId === undefined || event.busId === busId) handlers.unsubscribed(event.reason)
      })
    },
  })
}
