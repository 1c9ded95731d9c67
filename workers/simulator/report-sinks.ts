import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import type { Writable } from 'node:stream'
import { telemetryTopic } from '../../server/core/broker/telemetry-topics.js'
import type { ReportPublisher } from './mqtt-publisher.js'
import type { SimulatedReport } from './simulated-report.js'

/** Where the simulator's reports go: an MQTT broker, or a file for offline evaluation. */
export interface ReportSink {
  deliver(reports: readonly SimulatedReport[]): void
  /** Resolves once what was delivered has left: acknowledged by the broker, or written. */
  drain(): Promise<void>
  close(): Promise<void>
}

export function createPublisherSink(publisher: ReportPublisher): ReportSink {
  return {
    deliver: (reports) => reports.forEach((report) => publisher.publish(report)),
    drain: () => publisher.flush(),
    close: () => publisher.close(),
  }
}

/**
 * One JSON object per line: `{"topic", "deliverAt", "payload"}`, in delivery order, to a file or
 * (`-`) standard output. A replayed day written this way feeds evaluations without a broker.
 */
export function createNdjsonSink(target: string): ReportSink {
  const stream: Writable = target === '-' ? process.stdout : createWriteStream(target)
  let full = false
  return {
    deliver(reports) {
      for (const report of reports) {
        const line = JSON.stringify({
          topic: telemetryTopic(report.busId, report.kind),
          deliverAt: new Date(report.deliverAtMs).toISOString(),
          payload: report.payload,
        })
        full = !stream.write(line + '\n') || full
      }
    },
    async drain() {
      if (!full) return
      full = false
      await once(stream, 'drain')
    },
    async close() {
      if (stream === process.stdout) return
      stream.end()
      await once(stream, 'finish')
    },
  }
}
