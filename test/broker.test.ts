import { randomUUID } from 'node:crypto'
import type { MqttClient } from 'mqtt'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createAccessTokens } from '../server/core/auth/access-tokens.js'
import { connectBroker } from '../server/core/broker/connect-broker.js'
import { ingestSubscription, telemetryTopic } from '../server/core/broker/telemetry-topics.js'
import { systemClock } from '../server/core/clock/clock.js'
import { brokerBackends, type TestBroker } from './support/broker-backends.js'
import { testSecret } from './support/test-platform-parts.js'

const tokens = createAccessTokens({ secret: testSecret, ttlS: 3600, clock: systemClock })

/** Messages received on a topic filter, and a way to wait for a count. */
async function collect(client: MqttClient, filter: string) {
  const received: { topic: string; payload: string }[] = []
  client.on('message', (topic, payload) => received.push({ topic, payload: payload.toString() }))
  await client.subscribeAsync(filter, { qos: 1 })
  return {
    received,
    async waitFor(count: number, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      while (received.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      return received
    },
  }
}

describe.each(brokerBackends())('telemetry over $name', (backend) => {
  let broker: TestBroker
  const clients: MqttClient[] = []
  // Bus ids unique to this run, so a shared real broker's retained state or other runs never interfere.
  const bus = (n: number) => `T${randomUUID().slice(0, 8)}-${n}`

  const connectAs = async (principal: Parameters<TestBroker['passwordFor']>[0]) => {
    const client = await connectBroker({
      url: broker.url,
      clientId: broker.clientIdFor(principal),
      password: await broker.passwordFor(principal),
    })
    clients.push(client)
    return client
  }

  beforeAll(async () => {
    broker = await backend.start(tokens)
  })
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)))
  })
  afterAll(() => broker.close())

  it('carries a device’s reports at QoS 1 to a platform subscriber', async () => {
    const busId = bus(1)
    const ingest = await connectAs({ role: 'service', sub: 'ingest' })
    const inbox = await collect(ingest, `bus/${busId}/+`)
    const device = await connectAs({ role: 'device', sub: `terminal-${busId}`, busId })
    for (let seq = 1; seq <= 20; seq++) {
      await device.publishAsync(telemetryTopic(busId, 'gps'), JSON.stringify({ seq }), { qos: 1 })
    }
    await device.publishAsync(telemetryTopic(busId, 'limiter'), JSON.stringify({ state: 'active' }), {
      qos: 1,
    })
    const received = await inbox.waitFor(21)
    expect(received.filter((m) => m.topic.endsWith('/gps')).map((m) => JSON.parse(m.payload).seq)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    )
    expect(received.at(-1)?.topic).toBe(`bus/${busId}/limiter`)
  })

  if (backend.checksTokens) {
    it('lets a device publish only under its own bus id, and never subscribe', async () => {
      const own = bus(1)
      const other = bus(2)
      const ingest = await connectAs({ role: 'service', sub: 'ingest' })
      const inbox = await collect(ingest, 'bus/+/gps')
      const device = await connectAs({ role: 'device', sub: `terminal-${own}`, busId: own })
      // MQTT 3.1.1 has no negative acknowledgement: the broker drops a client that publishes where it may not.
      const closed = new Promise<void>((resolve) => device.once('close', () => resolve()))
      device.publish(telemetryTopic(other, 'gps'), '{"forged":true}', { qos: 0 })
      await closed
      // It comes back by itself, under the one client id its token allows.
      const deviceAgain = await new Promise<MqttClient>((resolve) =>
        device.once('connect', () => resolve(device)),
      )
      await deviceAgain.publishAsync(telemetryTopic(own, 'gps'), '{"own":true}', { qos: 1 })
      await inbox.waitFor(1)
      await new Promise((r) => setTimeout(r, 200))
      expect(inbox.received).toEqual([{ topic: `bus/${own}/gps`, payload: '{"own":true}' }])

      await expect(deviceAgain.subscribeAsync('bus/+/gps', { qos: 1 })).rejects.toThrow(/Subscribe error/)
      expect(deviceAgain.connected).toBe(true)
    })

    it('refuses a client without a valid token, or with a person’s token', async () => {
      await expect(connectBroker({ url: broker.url, clientId: 'anonymous' })).rejects.toThrow(
        /could not connect/,
      )
      await expect(connectBroker({ url: broker.url, clientId: 'forger', password: 'x.y.z' })).rejects.toThrow(
        /could not connect/,
      )
      const parent = await tokens.issue({ role: 'parent', sub: 'G1', pupilIds: ['P1'] })
      await expect(connectBroker({ url: broker.url, clientId: 'parent', password: parent })).rejects.toThrow(
        /could not connect/,
      )
    })
  }

  if (backend.sharedSubscriptions) {
    it('shares a `$share/ingest` subscription so each report reaches exactly one worker', async () => {
      const busId = bus(1)
      const shared = ingestSubscription('gps', { shareGroup: `test-${busId}` }).replace(
        'bus/+/',
        `bus/${busId}/`,
      )
      const workers = [
        await connectAs({ role: 'service', sub: 'w1' }),
        await connectAs({ role: 'service', sub: 'w2' }),
      ]
      const inboxes = await Promise.all(workers.map((w) => collect(w, shared)))
      const device = await connectAs({ role: 'device', sub: busId, busId })
      for (let seq = 0; seq < 100; seq++)
        await device.publishAsync(telemetryTopic(busId, 'gps'), String(seq), { qos: 1 })
      const deadline = Date.now() + 5000
      while (inboxes.reduce((n, i) => n + i.received.length, 0) < 100 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20))
      }
      const seqs = inboxes.flatMap((i) => i.received.map((m) => Number(m.payload))).sort((a, b) => a - b)
      expect(seqs).toEqual(Array.from({ length: 100 }, (_, i) => i))
      expect(inboxes.every((i) => i.received.length > 0)).toBe(true)
    })
  }
})
