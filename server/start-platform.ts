import type { PlatformCredentials } from './core/auth/platform-credentials.js'
import { systemClock, type Clock } from './core/clock/clock.js'
import type { Config, PartName } from './core/config/config-schema.js'
import type { Logger } from './core/log/logger.js'
import type { Database } from './core/store/database.js'
import { startParts, type StartedParts } from './parts/part-registry.js'
import { createProcessContext } from './parts/process-context.js'

export interface Platform {
  /** Where the HTTP server answers; undefined when the process runs neither the api nor the live part. */
  httpUrl: string | undefined
  /** MQTT_URL or the embedded broker's URL; undefined unless the process runs the ingest or the simulator. */
  mqttUrl: string | undefined
  /** Where JT/T 808 terminals connect (`tcp://HOST:PORT`); undefined unless the process runs the jt808 part. */
  jt808Url: string | undefined
  /** The parts this process runs (PARTS). */
  parts: readonly PartName[]
  /** DEMO=on: the Cixi fixture world was seeded into an empty store. */
  demo: boolean
  db: Database
  /** The platform's credentials: issue a session for a person, end one through `tokens.sessions`. */
  tokens: PlatformCredentials
  /** Stops taking new work, stores and acknowledges what was accepted, then closes every part. */
  stop(): Promise<void>
}

/**
 * The composition root of `npm start`: the process context (store, broker, HTTP server, live
 * publisher), then the parts PARTS names (server/parts/part-registry.ts), each external where the
 * configuration names a service. On stop, nothing accepted is left behind: the HTTP server (and the
 * live channel's sockets) closes first, then the parts stop in the reverse order they started (the
 * ingest drains, then events and live drain what it committed last), then the publisher, the broker
 * and the store.
 */
export async function startPlatform(options: {
  config: Config
  log: Logger
  clock?: Clock
}): Promise<Platform> {
  const { config, log } = options
  const context = await createProcessContext({ config, log, clock: options.clock ?? systemClock })
  let parts: StartedParts | undefined
  let stopped: Promise<void> | undefined
  const stop = () =>
    (stopped ??= (async () => {
      await context.http
        ?.close()
        .catch((error: unknown) => log.warn('error while closing the HTTP server', { error: String(error) }))
      await parts?.stop()
      await context.close()
    })())

  try {
    parts = await startParts(context)
    const httpUrl = await context.http?.listen()
    return {
      httpUrl,
      mqttUrl: context.broker?.url,
      jt808Url: parts.running.jt808?.url,
      parts: config.PARTS,
      demo: context.demo,
      db: context.db,
      tokens: context.tokens,
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}
