import { telemetryTopic } from '../../server/core/broker/telemetry-topics.js'
import type { ReceivedMessage, TelemetrySource } from '../../server/core/broker/telemetry-source.js'
import type { SimulatedReport } from '../../workers/simulator/simulated-report.js'

/**
 * Simulated reports handed to an ingest worker as a broker would hand it their messages, without
 * the network: `deliver` resolves once the worker has stored (and acknowledged) every one of them,
 * so a day simulated faster than real time moves on only when its reports are in the store.
 */
export function createDirectTelemetry() {
  let onMessage: ((message: ReceivedMessage) => void) | undefined
  const source: TelemetrySource = {
    start: async () => undefined,
    // The worker pauses a broker past its high water; here every delivery is awaited, so it never gets there.
    pause: () => undefined,
    resume: () => undefined,
    isConnected: () => onMessage !== undefined,
    close: async () => {
      onMessage = undefined
    },
  }
  return {
    connect(handler: (message: ReceivedMessage) => void): TelemetrySource {
      onMessage = handler
      return source
    },

    async deliver(reports: readonly SimulatedReport[]): Promise<void> {
      const receive = onMessage
      if (!receive) throw new Error('no ingest worker is connected')
      if (reports.length === 0) return
      let unacknowledged = reports.length
      await new Promise<void>((resolve) => {
        for (const report of reports) {
          receive({
            topic: telemetryTopic(report.busId, report.kind),
            payload: Buffer.from(JSON.stringify(report.payload)),
            redelivered: false,
            ack: () => {
              if (--unacknowledged === 0) resolve()
            },
          })
        }
      })
    },
  }
}

export type DirectTelemetry = ReturnType<typeof createDirectTelemetry>
