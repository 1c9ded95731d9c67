import { ConfigError, loadConfig } from './config/load-config.js'
import { createLogger } from './log/logger.js'
import { startPlatform } from './start-platform.js'

let config
try {
  config = loadConfig(process.env)
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  console.error(error.message)
  process.exit(2)
}

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

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    log.info(`${signal}: stopping`)
    platform.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('stop failed', { error: String(error) })
        process.exit(1)
      },
    )
  })
}
