import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { MqttClient } from 'mqtt'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createAccessTokens } from '../server/core/auth/access-tokens.js'
import type { Principal } from '../server/core/auth/principal.js'
import { terminalClientId } from '../server/core/broker/broker-client-ids.js'
import { connectBroker } from '../server/core/broker/connect-broker.js'
import { startEmbeddedBroker, type EmbeddedBroker } from '../server/core/broker/embedded-broker.js'
import { telemetryTopic } from '../server/core/broker/telemetry-topics.js'
import { systemClock } from '../server/core/clock/clock.js'
import { createLogger } from '../server/core/log/logger.js'
import { brokerBackends, type TestBroker } from './support/broker-backends.js'
import { settableClock, testSecret } from './support/test-platform-parts.js'
import { runsEmbedded } from './support/test-level.js'

const log = createLogger({ level: 'silent' })
const tokens = createAccessTokens({ secret: testSecret, ttlS: 3600, clock: systemClock })
const clients: MqttClient[] = []
const track = (client: MqttClient) => {
  clients.push(client)
  return client
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.endAsync(true)))
})

/** Resolves when the connection closes, whatever error comes with it. */
function closed(client: MqttClient) {
  return new Promise<void>((resolve) => client.once('close', () => resolve()))
}

/** Payloads received on `filter`, in order. */
async function inbox(client: MqttClient, filter: string) {
  const received: string[] = []
  client.on('message', (_topic, payload) => received.push(payload.toString()))
  await client.subscribeAsync(filter, { qos: 1 })
  return received
}

describe.each(brokerBackends())('packet size on $name', (backend) => {
  let broker: TestBroker
  const connectAs = async (principal: Principal) =>
    track(
      await connectBroker({
        url: broker.url,
        clientId: broker.clientIdFor(principal),
        password: await broker.passwordFor(principal),
      }),
    )
  beforeAll(async () => {
    broker = await backend.start(tokens)
  })
  afterAll(() => broker.close())

  it('drops a client that sends an oversized packet, and serves the others on', async () => {
    const [big, small] = [`P${randomUUID().slice(0, 8)}-1`, `P${randomUUID().slice(0, 8)}-2`]
    const watcher = await connectAs({ role: 'service', sub: `watcher-${randomUUID()}` })
    const received = await inbox(watcher, 'bus/+/limiter')
    const flooder = await connectAs({ role: 'device', sub: big, busId: big })
    const neighbour = await connectAs({ role: 'device', sub: small, busId: small })

    // Just under 64 KiB passes: the limit is on packets, not on every large one.
    const large = 'x'.repeat(60_000)
    await flooder.publishAsync(telemetryTopic(big, 'limiter'), large, { qos: 1 })
    // The broker may reset the connection while the packet is still being written.
    flooder.on('error', () => {})
    let dropped = false
    void closed(flooder).then(() => (dropped = true))
    flooder.publish(telemetryTopic(big, 'limiter'), 'y'.repeat(100_000), { qos: 0 })
    await expect.poll(() => dropped, { timeout: 5000 }).toBe(true)
    await neighbour.publishAsync(telemetryTopic(small, 'limiter'), '{"state":"active"}', { qos: 1 })

    await expect.poll(() => received.length).toBe(2)
    await sleep(200)
    expect(received).toEqual([large, '{"state":"active"}'])
    expect(watcher.connected).toBe(true)
  })
})

if (runsEmbedded)
  describe('client ids on the embedded broker', () => {
    let broker: EmbeddedBroker
    beforeAll(async () => {
      broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, tokens, log })
    })
    afterAll(() => broker.close())

    const connect = async (clientId: string, principal: Principal, clean = true) =>
      track(
        await connectBroker({ url: broker.url, clientId, password: await tokens.issue(principal), clean }),
      )

    it('refuses a device token under the ingest’s client id, and the ingest keeps receiving', async () => {
      const ingestId = `ingest-${randomUUID().slice(0, 8)}`
      const ingest = await connect(ingestId, { role: 'service', sub: ingestId }, false)
      let ingestDropped = 0
      ingest.on('close', () => ingestDropped++)
      const received = await inbox(ingest, 'bus/+/gps')
      const bus01 = { role: 'device', sub: 'terminal-bus-01', busId: 'bus-01' } as const

      for (const clean of [true, false]) {
        await expect(connect(ingestId, bus01, clean)).rejects.toThrow(/Identifier rejected/)
      }
      const terminal = await connect(terminalClientId('bus-01'), bus01)
      await terminal.publishAsync(telemetryTopic('bus-01', 'gps'), '{"seq":1}', { qos: 1 })

      await expect.poll(() => received).toEqual(['{"seq":1}'])
      expect(ingestDropped).toBe(0)
      expect(ingest.connected).toBe(true)
    })

    it('refuses a device under another bus’s id and a service under another id than its own', async () => {
      const bus02 = { role: 'device', sub: 'terminal-bus-02', busId: 'bus-02' } as const
      const holder = await connect(terminalClientId('bus-01'), {
        role: 'device',
        sub: 'terminal-bus-01',
        busId: 'bus-01',
      })
      let holderDropped = 0
      holder.on('close', () => holderDropped++)

      await expect(connect(terminalClientId('bus-01'), bus02)).rejects.toThrow(/Identifier rejected/)
      await expect(connect('', bus02)).rejects.toThrow(/Identifier rejected/)
      await expect(
        connect(terminalClientId('bus-01'), { role: 'service', sub: 'simulator' }),
      ).rejects.toThrow(/Identifier rejected/)
      await expect(connect(terminalClientId('bus-02'), bus02)).resolves.toMatchObject({ connected: true })
      expect(holderDropped).toBe(0)
    })
  })

if (runsEmbedded)
  describe('token expiry on the embedded broker', () => {
    it('closes a connection when its token expires, and a renewing client comes back', async () => {
      const broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, tokens, log })
      try {
        const watcher = await connectBroker({
          url: broker.url,
          clientId: 'watcher',
          password: await tokens.issue({ role: 'service', sub: 'watcher' }),
        })
        track(watcher)
        const received = await inbox(watcher, 'bus/+/gps')
        const bus01 = { role: 'device', sub: 'terminal-bus-01', busId: 'bus-01' } as const
        let issued = 0
        // Whole-second expiry: each token lasts one to two seconds.
        const shortLived = () => {
          issued++
          return tokens.issue(bus01, { ttlS: 2 })
        }
        const terminal = track(
          await connectBroker({
            url: broker.url,
            clientId: terminalClientId('bus-01'),
            password: shortLived,
          }),
        )
        let closes = 0
        terminal.on('close', () => closes++)
        // Idle, it is closed at its token's expiry all the same.
        await expect.poll(() => closes, { timeout: 4000 }).toBe(1)

        const sent: string[] = []
        for (let seq = 0; seq < 30; seq++) {
          sent.push(JSON.stringify({ seq }))
          await terminal.publishAsync(telemetryTopic('bus-01', 'gps'), sent.at(-1)!, { qos: 1 })
          await sleep(100)
        }
        await expect.poll(() => received.length).toBe(sent.length)
        expect(received).toEqual(sent)
        expect(closes).toBeGreaterThanOrEqual(2)
        // A fresh token for every connection after the first.
        expect(issued).toBeGreaterThanOrEqual(closes)
      } finally {
        await Promise.all(clients.splice(0).map((client) => client.endAsync(true)))
        await broker.close()
      }
    })

    it('refuses what a client sends once its token has expired, before the connection is closed', async () => {
      const clock = settableClock(new Date('2026-03-02T07:00:00+08:00'))
      const fakeTokens = createAccessTokens({ secret: testSecret, ttlS: 3600, clock })
      const broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, tokens: fakeTokens, log, clock })
      try {
        const watcher = track(
          await connectBroker({
            url: broker.url,
            clientId: 'watcher',
            password: await fakeTokens.issue({ role: 'service', sub: 'watcher' }),
          }),
        )
        const received = await inbox(watcher, 'bus/+/gps')
        const terminal = track(
          await connectBroker({
            url: broker.url,
            clientId: terminalClientId('bus-01'),
            password: await fakeTokens.issue(
              { role: 'device', sub: 'terminal-bus-01', busId: 'bus-01' },
              { ttlS: 60 },
            ),
          }),
        )
        await terminal.publishAsync(telemetryTopic('bus-01', 'gps'), '{"seq":1}', { qos: 1 })
        await expect.poll(() => received).toEqual(['{"seq":1}'])

        // The clock passes the expiry while the timer that closes the connection is a minute away.
        clock.set(new Date('2026-03-02T07:01:00+08:00'))
        let dropped = false
        void closed(terminal).then(() => (dropped = true))
        terminal.publish(telemetryTopic('bus-01', 'gps'), '{"seq":2}', { qos: 0 })
        await expect.poll(() => dropped, { timeout: 5000 }).toBe(true)
        await sleep(200)
        expect(received).toEqual(['{"seq":1}'])
      } finally {
        await Promise.all(clients.splice(0).map((client) => client.endAsync(true)))
        await broker.close()
      }
    })
  })
