import type { MqttClient } from 'mqtt'
import { connectBroker } from '../../server/core/broker/connect-broker.js'
import { telemetryTopic } from '../../server/core/broker/telemetry-topics.js'
import type { PublishedReport } from './expected-events.js'
import { reportsOfStep, type BusPlan } from './fleet-plan.js'

/** What the terminals' connections did: every report handed over, and whether the broker took it. */
export interface PublishOutcome {
  /** Acknowledged by the broker (QoS 1), in the order they were sent. */
  published: PublishedReport[]
  failed: number
  firstPublishAtMs: number
  lastPublishAtMs: number
}

/**
 * A few MQTT connections that carry the terminals' reports, each bus always on the same one so its
 * reports reach the broker in order. The broker here lets devices connect without credentials
 * (test/mosquitto.conf: allow_anonymous); credentials in MQTT_URL are used when it names them.
 */
export async function connectFleetPublisher(options: {
  mqttUrl: string
  clientIdPrefix: string
  connections: number
}) {
  const clients: MqttClient[] = []
  try {
    for (let i = 0; i < options.connections; i++) {
      clients.push(await connectBroker({ url: options.mqttUrl, clientId: `${options.clientIdPrefix}-${i}` }))
    }
  } catch (error) {
    await Promise.all(clients.map((client) => client.endAsync(true)))
    throw error
  }
  let outstanding = 0
  let idle: (() => void)[] = []
  const settled = () => {
    if (--outstanding > 0) return
    for (const resolve of idle.splice(0)) resolve()
  }
  return {
    /** Sends one report at QoS 1; `done` says whether the broker acknowledged it. */
    publish(connection: number, report: PublishedReport, done: (ok: boolean) => void): void {
      const client = clients[connection % clients.length]!
      const { row } = report
      const payload =
        report.kind === 'gps'
          ? {
              ts: row.ts.getTime(),
              lat: report.row.lat,
              lon: report.row.lon,
              speedKmh: report.row.speedKmh,
              ...(report.row.headingDeg === null ? {} : { headingDeg: report.row.headingDeg }),
              accuracyM: report.row.accuracyM ?? undefined,
              ignition: report.row.ignition ?? undefined,
              seq: report.row.seq ?? undefined,
            }
          : { ts: row.ts.getTime(), state: report.row.state, limitKmh: report.row.limitKmh ?? undefined }
      outstanding++
      client.publish(telemetryTopic(row.busId, report.kind), JSON.stringify(payload), { qos: 1 }, (error) => {
        done(!error)
        settled()
      })
    },
    /** Resolves once every report handed over is acknowledged or failed, or after `timeoutMs`. */
    async flush(timeoutMs: number): Promise<void> {
      if (outstanding === 0) return
      let timer: NodeJS.Timeout | undefined
      await Promise.race([
        new Promise<void>((resolve) => idle.push(resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ])
      clearTimeout(timer)
    },
    async close(): Promise<void> {
      idle = []
      await Promise.all(clients.map((client) => client.endAsync(true)))
    },
  }
}

export type FleetPublisher = Awaited<ReturnType<typeof connectFleetPublisher>>

/**
 * Drives the planned fleet in real time: second k of bus i is sent at `startAtMs + k s + i/n s`, so
 * the buses' reports spread over each second as a real fleet's do, dated with that instant. A
 * limiter report goes just before the fix of the same instant. `onSecond` is called once per
 * second of the run, with its index.
 */
export async function driveFleet(options: {
  plans: readonly BusPlan[]
  publisher: FleetPublisher
  connections: number
  startAtMs: number
  seconds: number
  onSecond?(second: number): void
}): Promise<PublishOutcome> {
  const { plans, publisher, startAtMs, seconds } = options
  const total = plans.length * seconds
  const dueAt = (n: number) =>
    startAtMs + Math.floor(n / plans.length) * 1000 + Math.floor(((n % plans.length) * 1000) / plans.length)
  const acked: { report: PublishedReport; order: number }[] = []
  let order = 0
  let sent = 0
  let firstPublishAtMs = Number.NaN
  let lastPublishAtMs = Number.NaN
  const send = (connection: number, report: PublishedReport) => {
    const mine = order++
    publisher.publish(connection, report, (ok) => {
      if (ok) acked.push({ report, order: mine })
    })
  }
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      for (const now = Date.now(); sent < total && dueAt(sent) <= now; sent++) {
        const plan = plans[sent % plans.length]!
        const k = Math.floor(sent / plans.length)
        if (sent % plans.length === 0) options.onSecond?.(k)
        if (!plan.steps[k]!.reports) continue
        const ts = new Date(dueAt(sent))
        const connection = plan.index % options.connections
        if (Number.isNaN(firstPublishAtMs)) firstPublishAtMs = Date.now()
        for (const report of reportsOfStep(plan, k, ts)) send(connection, report)
        lastPublishAtMs = Date.now()
      }
      if (sent === total) {
        clearInterval(timer)
        resolve()
      }
    }, 5)
  })
  await publisher.flush(30_000)
  return {
    published: acked.sort((a, b) => a.order - b.order).map((a) => a.report),
    // Neither acknowledged nor refused in time counts as failed too.
    failed: order - acked.length,
    firstPublishAtMs,
    lastPublishAtMs,
  }
}
