import { jt808ReplyResults } from '../../server/core/jt808/message-ids.js'
import type { ConnectionContext } from './connection-context.js'
import type { ConnectionHost } from './terminal-connection.js'

export interface IngestDelivery extends Pick<ConnectionContext, 'deliverThenAnswer'> {
  /** The connection closed: its reports not stored by now are no longer awaited. */
  forgetUnstored(): void
}

/**
 * A frame is answered only once the ingest has stored what it carried, so a terminal whose reports
 * were lost in a crash hears nothing and sends them again.
 */
export function createIngestDelivery(options: {
  host: Pick<ConnectionHost, 'stats' | 'deliver'>
  answer: ConnectionContext['answer']
  isClosed: () => boolean
}): IngestDelivery {
  const { host, answer, isClosed } = options
  const { stats } = host
  /** Reports of this connection handed to the ingest and not yet stored. */
  let awaitingStore = 0

  return {
    deliverThenAnswer(frame, messages, result = jt808ReplyResults.ok) {
      if (messages.length === 0) {
        if (frame) answer(frame, result)
        return
      }
      let waiting = messages.length
      awaitingStore += waiting
      stats.reportsAwaitingStore += waiting
      for (const message of messages) {
        let acked = false
        host.deliver({
          ...message,
          redelivered: false,
          ack: () => {
            // After the connection closed its count is gone, and the terminal sends again.
            if (acked || isClosed()) return
            acked = true
            awaitingStore--
            stats.reportsAwaitingStore--
            if (--waiting === 0 && frame) answer(frame, result)
          },
        })
      }
    },
    forgetUnstored() {
      stats.reportsAwaitingStore -= awaitingStore
      awaitingStore = 0
    },
  }
}
