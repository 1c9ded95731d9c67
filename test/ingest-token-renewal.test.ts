import { setTimeout as sleep } from 'node:timers/promises'
import { expect, it } from 'vitest'
import { createAccessTokens } from '../server/core/auth/access-tokens.js'
import { terminalClientId } from '../server/core/broker/broker-client-ids.js'
import { connectBroker } from '../server/core/broker/connect-broker.js'
import { startEmbeddedBroker } from '../server/core/broker/embedded-broker.js'
import { systemClock } from '../server/core/clock/clock.js'
import { createLogger } from '../server/core/log/logger.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { startIngest } from '../workers/ingest/start-ingest.js'
import { embeddedStore } from './support/store-backends.js'
import { testSecret } from './support/test-platform-parts.js'
import { loadTwoSchoolsTwoBuses } from './scenarios/two-schools-two-buses.js'

const log = createLogger({ level: 'silent' })
const tokens = createAccessTokens({ secret: testSecret, ttlS: 3600, clock: systemClock })

it('keeps storing when its token expires: the broker closes the connection, the ingest renews and returns', async () => {
  const store = await embeddedStore.open()
  const broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, tokens, log })
  try {
    await migrateDatabase(store.db)
    await loadTwoSchoolsTwoBuses(store.db)
    const clientId = 'ingest-renewing'
    let issued = 0
    const ingest = await startIngest({
      db: store.db,
      mqttUrl: broker.url,
      // Whole-second expiry: each token lasts one to two seconds.
      password: () => {
        issued++
        return tokens.issue({ role: 'service', sub: clientId }, { ttlS: 2 })
      },
      embeddedBroker: true,
      clientId,
      clock: systemClock,
      log,
    })
    const device = await connectBroker({
      url: broker.url,
      clientId: terminalClientId('B1'),
      password: await tokens.issue({ role: 'device', sub: 'terminal-B1', busId: 'B1' }),
    })
    const base = Date.now() - 600_000
    const count = 40
    for (let second = 0; second < count; second++) {
      const report = {
        ts: new Date(base + second * 1000).toISOString(),
        lat: 30.18,
        lon: 121.39,
        speedKmh: 0,
      }
      await device.publishAsync('bus/B1/gps', JSON.stringify(report), { qos: 1 })
      await sleep(100)
    }
    const stored = async () =>
      (
        await store.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM positions WHERE bus_id = 'B1' AND ts >= $1`,
          [new Date(base)],
        )
      )[0]!.n
    await expect.poll(stored, { timeout: 10_000 }).toBe(count)
    expect(issued).toBeGreaterThanOrEqual(2)
    await device.endAsync()
    await ingest.stop()
  } finally {
    await broker.close()
    await store.dispose()
  }
})
