import { loadConfigOrExit } from './config/load-config.js'
import { createLogger } from './log/logger.js'
import { stopOnSignals } from './process/stop-on-signals.js'
import { startPlatform } from './start-platform.js'

const config = loadConfigOrExit(process.env)

const log = createLogger({ level: config.LOG_LEVEL })
const started = performance.now()
const platform = await startPlatform({ config, log }).catch((error: unknown) => {
  log.error(error instanceof Error ? error.message : String(error))
  process.exit(1)
})

console.log(`
School-transport platform is running (started in ${Math.round(performance.now() - started)} ms)
  Health:        ${platform.httpUrl}/health
  API:           ${platform.httpUrl}/api  (Authorization: Bearer <token>; print tokens with: npm run tokens)
  MQTT telemetry: ${platform.mqttUrl}  (topics bus/{busId}/gps and bus/{busId}/limiter)
Press Ctrl-C to stop.`)

stopOnSignals(() => platform.stop(), log)
