import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createAccessTokens } from '../server/core/auth/access-tokens.js'
import { connectBroker } from '../server/core/broker/connect-broker.js'
import { systemClock } from '../server/core/clock/clock.js'
import { createLogger } from '../server/core/log/logger.js'
import type { ReceivedMessage } from '../server/core/broker/telemetry-source.js'
import { createMqttSubscriber } from '../workers/ingest/mqtt-subscriber.js'
import { embeddedBroker, type TestBroker } from './support/broker-backends.js'
import { testSecret } from './support/test-platform-parts.js'

const tokens = createAccessTokens({ secret: testSecret, ttlS: 3600, clock: systemClock })
let broker: TestBroker
beforeAll(async () => {
  broker = await embeddedBroker.start(tokens)
})
afterAll(() => broker.close())

it('keeps its connection while paused for longer than the keepalive, then takes what the broker held', async () => {
  const warnings: string[] = []
  const received: ReceivedMessage[] = []
  const clientId = `paused-${randomUUID()}`
  const subscriber = createMqttSubscriber({
    url: broker.url,
    clientId,
    password: await broker.passwordFor({ role: 'service', sub: clientId }),
    topics: ['bus/+/gps'],
    protocolVersion: 4,
    keepaliveS: 1,
    onMessage: (message) => {
      received.push(message)
      message.ack()
    },
    log: createLogger({ write: (line) => warnings.push(line) }),
  })
  await subscriber.start()
  subscriber.pause()
  const terminal = { role: 'device', sub: 'B1', busId: 'B1' } as const
  const device = await connectBroker({
    url: broker.url,
    clientId: broker.clientIdFor(terminal),
    password: await broker.passwordFor(terminal),
  })
  await device.publishAsync('bus/B1/gps', '{"held":true}', { qos: 1 })
  await new Promise((resolve) => setTimeout(resolve, 3500))
  expect(received).toEqual([])
  subscriber.resume()
  await expect.poll(() => received.map((m) => m.payload.toString())).toEqual(['{"held":true}'])
  expect(received[0]?.redelivered).toBe(false)
  expect(warnings.filter((line) => line.includes('WARN'))).toEqual([])
  await device.endAsync()
  await subscriber.close()
})
