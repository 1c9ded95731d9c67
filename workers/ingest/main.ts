import { createAccessTokens } from '../../server/core/auth/access-tokens.js'
import { readCommandLine } from '../../server/core/cli/command-line.js'
import { resolveTokenSecret } from '../../server/core/auth/token-secret.js'
import { configuredClock } from '../../server/core/clock/demo-clock.js'
import { loadConfigOrExit } from '../../server/core/config/load-config.js'
import { createLogger } from '../../server/core/log/logger.js'
import { migrateDatabase } from '../../server/core/store/migrate-database.js'
import { openDatabase } from '../../server/core/store/open-database.js'
import { stopOnSignals } from '../../server/core/process/stop-on-signals.js'
import { startIngest } from './start-ingest.js'

/**
 * A telemetry ingest worker on its own, for more throughput beside `npm start` or a deployment with
 * a real broker: `npm run worker:ingest`. Without MQTT_URL it joins the embedded broker of a running
 * platform, signing its own service token with the platform's secret.
 */
readCommandLine({
  usage: `usage: npm run worker:ingest

Takes no options: the environment configures it, as it does the platform (see the README's
configuration). MQTT_URL names the broker (default: the embedded broker of a platform running on
MQTT_PORT); DATABASE_URL the store; INGEST_CLIENT_ID and INGEST_SHARE_GROUP its MQTT client and
shared subscription; INGEST_STATS_INTERVAL_S how often it logs its figures.`,
  options: {},
})
const config = loadConfigOrExit(process.env)
const log = createLogger({ level: config.LOG_LEVEL, component: config.INGEST_CLIENT_ID })
const embeddedBroker = !config.MQTT_URL
const secret = await resolveTokenSecret({ configured: config.TOKEN_SECRET, dataDir: config.DATA_DIR })
const clock = configuredClock(config)
const tokens = createAccessTokens({ secret, ttlS: config.TOKEN_TTL_S, clock })

const db = await openDatabase(config)
await migrateDatabase(db, { log })
const ingest = await startIngest({
  db,
  mqttUrl: config.MQTT_URL ?? `mqtt://127.0.0.1:${config.MQTT_PORT}`,
  // A fresh token at each connection: the embedded broker ends a connection when its token expires.
  password: embeddedBroker
    ? () => tokens.issue({ role: 'service', sub: config.INGEST_CLIENT_ID })
    : undefined,
  embeddedBroker,
  clientId: config.INGEST_CLIENT_ID,
  shareGroup: config.INGEST_SHARE_GROUP,
  clock,
  log,
}).catch((error: unknown) => {
  log.error(error instanceof Error ? error.message : String(error))
  process.exit(1)
})

const statsTimer = setInterval(
  () => log.info('stats', { ...ingest.worker.stats() }),
  config.INGEST_STATS_INTERVAL_S * 1000,
)
stopOnSignals(async () => {
  clearInterval(statsTimer)
  await ingest.stop()
  log.info('stopped', { ...ingest.worker.stats() })
  await db.close()
}, log)
