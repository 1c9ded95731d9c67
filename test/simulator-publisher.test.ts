import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAccessTokens } from '../server/core/auth/access-tokens.js'
import { connectBroker } from '../server/core/broker/connect-broker.js'
import { startEmbeddedBroker, type EmbeddedBroker } from '../server/core/broker/embedded-broker.js'
import { systemClock } from '../server/core/clock/clock.js'
import { createLogger } from '../server/core/log/logger.js'
import { connectReportPublisher } from '../workers/simulator/mqtt-publisher.js'
import type { SimulatedReport } from '../workers/simulator/simulated-report.js'

const log = createLogger({ level: 'silent' })
const tokens = createAccessTokens({
  secret: 'publisher-test-secret-0123456789abcdef',
  ttlS: 3600,
  clock: systemClock,
})
let broker: EmbeddedBroker

beforeAll(async () => {
  broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, tokens, log })
})
afterAll(async () => {
  await broker.close()
})

const fix = (busId: string, seq: number): SimulatedReport => ({
  busId,
  deliverAtMs: 0,
  kind: 'gps',
  payload: {
    ts: '2026-03-02T07:15:02+08:00',
    lat: 30.172,
    lon: 121.2618,
    speedKmh: 34.5,
    headingDeg: 92,
    altM: 6,
    accuracyM: 8,
    ignition: true,
    seq,
  },
})

describe('the report publisher', () => {
  it('publishes each bus’s reports on its own connection, as its device', async () => {
    const watcher = await connectBroker({
      url: broker.url,
      clientId: 'publisher-watcher',
      password: await tokens.issue({ role: 'service', sub: 'publisher-watcher' }),
    })
    const received: string[] = []
    watcher.on('message', (topic, payload) => received.push(`${topic} ${payload.toString()}`))
    await watcher.subscribeAsync('bus/+/gps', { qos: 1 })
    const publisher = await connectReportPublisher({
      mqttUrl: broker.url,
      busIds: ['bus-01', 'bus-02'],
      connection: {
        kind: 'per-bus',
        passwordFor: (busId) => tokens.issue({ role: 'device', sub: `terminal-${busId}`, busId }),
      },
      log,
    })
    const reports = [fix('bus-01', 1), fix('bus-02', 1), fix('bus-01', 2)]
    reports.forEach((report) => publisher.publish(report))
    await publisher.flush()
    await publisher.close()
    while (received.length < reports.length) await new Promise((resolve) => setTimeout(resolve, 10))
    await watcher.endAsync()
    expect(publisher.stats()).toEqual({ published: 3, acknowledged: 3, failed: 0, queued: 0 })
    expect(received.sort()).toEqual(
      reports.map((r) => `bus/${r.busId}/gps ${JSON.stringify(r.payload)}`).sort(),
    )
  })

  it('gets more reports through one shared connection than MQTT has packet ids', async () => {
    const publisher = await connectReportPublisher({
      mqttUrl: broker.url,
      busIds: ['sim-0001', 'sim-0002'],
      connection: {
        kind: 'shared',
        clientId: 'publisher-load',
        password: () => tokens.issue({ role: 'service', sub: 'publisher-load' }),
      },
      log,
    })
    const count = 70_000
    for (let i = 0; i < count; i++) publisher.publish(fix(i % 2 === 0 ? 'sim-0001' : 'sim-0002', i))
    expect(publisher.stats().queued).toBeGreaterThan(0)
    await publisher.flush()
    expect(publisher.stats()).toEqual({ published: count, acknowledged: count, failed: 0, queued: 0 })
    await publisher.close()
  })
})
