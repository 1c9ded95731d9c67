import type { MqttClient } from 'mqtt'
import { terminalClientId } from '../../server/core/broker/broker-client-ids.js'
import { connectBroker } from '../../server/core/broker/connect-broker.js'
import type { MqttPassword } from '../../server/core/broker/mqtt-password.js'
import { telemetryTopic } from '../../server/core/broker/telemetry-topics.js'
import type { Logger } from '../../server/core/log/logger.js'
import type { SimulatedReport } from './simulated-report.js'

export interface PublisherStats {
  published: number
  acknowledged: number
  failed: number
  /** Handed over but held back until the broker acknowledges earlier reports. */
  queued: number
}

export interface ReportPublisher {
  /** Hands a report to its bus's connection at QoS 1; the broker's acknowledgement comes later. */
  publish(report: SimulatedReport): void
  /** Resolves once every report handed over so far is acknowledged or has failed. */
  flush(): Promise<void>
  stats(): PublisherStats
  /** Waits up to `flushTimeoutMs` for outstanding acknowledgements, then disconnects. */
  close(options?: { flushTimeoutMs?: number }): Promise<void>
}

/**
 * How the simulated terminals reach the broker. `per-bus`: one MQTT client per bus, as real
 * terminals connect, each as its terminal's client id with its own device token on the embedded
 * broker (which then checks that a bus publishes only its own topics); `passwordFor` is asked
 * again at each reconnection, so an expired token is replaced. `shared`: one client for the whole
 * fleet, for load tests, where thousands of connections would measure the connection handling of
 * this machine rather than the pipeline; on the embedded broker it needs a service token, since a
 * device token covers one bus, and `clientId` must be that token's `sub`.
 */
export type PublisherConnection =
  | { kind: 'per-bus'; passwordFor(busId: string): Promise<string | undefined> }
  | { kind: 'shared'; clientId: string; password: MqttPassword | undefined }

/** Connections opened at once, so a large per-bus fleet does not flood the broker with handshakes. */
const CONNECT_CONCURRENCY = 50
/**
 * Unacknowledged reports per connection. MQTT packet ids are 16-bit: MQTT.js stalls for good once
 * 65,535 are in flight, which one shared connection of a load test reaches in seconds.
 */
const MAX_IN_FLIGHT = 10_000

interface Connection {
  client: MqttClient
  inFlight: number
  /** Waiting reports from `backlogHead` on; the consumed part is dropped when it grows large. */
  backlog: { topic: string; body: string }[]
  backlogHead: number
}

export async function connectReportPublisher(options: {
  mqttUrl: string
  busIds: readonly string[]
  connection: PublisherConnection
  log: Logger
}): Promise<ReportPublisher> {
  const clients = new Map<string, Connection>()
  const { connection } = options
  const opened: MqttClient[] = []
  const wrap = (client: MqttClient): Connection => ({ client, inFlight: 0, backlog: [], backlogHead: 0 })
  try {
    if (connection.kind === 'shared') {
      opened.push(
        await connectBroker({
          url: options.mqttUrl,
          clientId: connection.clientId,
          password: connection.password,
        }),
      )
      const shared = wrap(opened[0]!)
      for (const busId of options.busIds) clients.set(busId, shared)
    } else {
      for (let i = 0; i < options.busIds.length; i += CONNECT_CONCURRENCY) {
        const batch = options.busIds.slice(i, i + CONNECT_CONCURRENCY)
        const connected = await Promise.all(
          batch.map(async (busId) => {
            const client = await connectBroker({
              url: options.mqttUrl,
              clientId: terminalClientId(busId),
              password: () => connection.passwordFor(busId),
            })
            opened.push(client)
            return [busId, client] as const
          }),
        )
        for (const [busId, client] of connected) clients.set(busId, wrap(client))
      }
    }
  } catch (error) {
    await Promise.all(opened.map((client) => client.endAsync(true)))
    throw error
  }
  for (const client of opened) {
    client.on('error', (error) =>
      options.log.warn('MQTT client error', { client: client.options.clientId, error: error.message }),
    )
  }

  const stats: PublisherStats = { published: 0, acknowledged: 0, failed: 0, queued: 0 }
  /** Handed over and not yet acknowledged or failed, queued ones included. */
  let outstanding = 0
  let idle: (() => void)[] = []
  let firstFailureLogged = false

  const send = (to: Connection, topic: string, body: string) => {
    to.inFlight++
    to.client.publish(topic, body, { qos: 1 }, (error) => {
      to.inFlight--
      if (error) {
        stats.failed++
        if (!firstFailureLogged) {
          firstFailureLogged = true
          options.log.warn('a report was not accepted by the broker', { error: error.message })
        }
      } else stats.acknowledged++
      const next = to.backlog[to.backlogHead]
      if (next) {
        to.backlogHead++
        // Drop the sent part now and then, not on every report: shifting a long array is slow.
        if (to.backlogHead > 4096 && to.backlogHead * 2 > to.backlog.length) {
          to.backlog = to.backlog.slice(to.backlogHead)
          to.backlogHead = 0
        }
        stats.queued--
        send(to, next.topic, next.body)
      }
      if (--outstanding === 0) {
        const waiting = idle
        idle = []
        for (const resolve of waiting) resolve()
      }
    })
  }
  const flush = () =>
    outstanding === 0 ? Promise.resolve() : new Promise<void>((resolve) => idle.push(resolve))

  return {
    publish(report) {
      const to = clients.get(report.busId)
      if (!to) throw new Error(`no connection for bus ${report.busId}`)
      stats.published++
      outstanding++
      const topic = telemetryTopic(report.busId, report.kind)
      const body = JSON.stringify(report.payload)
      if (to.inFlight < MAX_IN_FLIGHT) send(to, topic, body)
      else {
        stats.queued++
        to.backlog.push({ topic, body })
      }
    },
    flush,
    stats: () => ({ ...stats }),
    async close(closeOptions = {}) {
      let timer: NodeJS.Timeout | undefined
      await Promise.race([
        flush(),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, closeOptions.flushTimeoutMs ?? 5000))),
      ])
      clearTimeout(timer)
      await Promise.all(opened.map((client) => client.endAsync(true)))
    },
  }
}
