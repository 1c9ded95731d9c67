import { parseArgs } from 'node:util'

export interface ScaleOptions {
  ingest: number
  events: number
  servers: number
  /** Processes running every part (PARTS unset), beside the dedicated ones. */
  combined: number
  seconds: number
  buses: number
  killEvents: boolean
  /** Bounded wait after publishing for the store to settle. */
  settleSeconds: number
  /** MQTT connections carrying the terminals' reports. */
  publishers: number
  build: boolean
  /** More environment for every process, `NAME=value`. */
  env: Record<string, string>
  databaseUrl: string
  mqttUrl: string
  redisUrl: string
}

export const usage = `npm run bench:scale -- [--ingest 2] [--events 2] [--servers 2] [--combined 0]
  [--seconds 30] [--buses 36] [--kill-events] [--settle-seconds 60] [--publishers 4]
  [--env NAME=value ...] [--no-build]
Processes: --ingest N with PARTS=ingest, --events N with PARTS=events, --servers N with PARTS=api,live,
--combined N with every part (PARTS unset; the other counts then default to 0).
Services: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), MQTT_URL (default
mqtt://127.0.0.1:18830, Mosquitto with test/mosquitto.conf), REDIS_URL (default redis://127.0.0.1:6379).`

/** The command line and the service URLs; throws with what is wrong. */
export function parseScaleOptions(args: string[], env: NodeJS.ProcessEnv): ScaleOptions {
  const { values } = parseArgs({
    args,
    options: {
      ingest: { type: 'string' },
      events: { type: 'string' },
      servers: { type: 'string' },
      combined: { type: 'string', default: '0' },
      seconds: { type: 'string', default: '30' },
      buses: { type: 'string', default: '36' },
      'kill-events': { type: 'boolean', default: false },
      'settle-seconds': { type: 'string', default: '60' },
      publishers: { type: 'string', default: '4' },
      env: { type: 'string', multiple: true, default: [] },
      'no-build': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help) throw new Error(usage)
  const count = (name: string, value: string | undefined, fallback: number, min = 0, max = 64) => {
    const n = value === undefined ? fallback : Number(value)
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`--${name}: expected a whole number from ${min} to ${max}, got ${value}`)
    return n
  }
  const combined = count('combined', values.combined, 0)
  const dedicated = combined > 0 ? 0 : 2
  const options: ScaleOptions = {
    ingest: count('ingest', values.ingest, dedicated),
    events: count('events', values.events, dedicated),
    servers: count('servers', values.servers, dedicated),
    combined,
    seconds: count('seconds', values.seconds, 30, 5, 3600),
    buses: count('buses', values.buses, 36, 1, 5000),
    killEvents: values['kill-events'],
    settleSeconds: count('settle-seconds', values['settle-seconds'], 60, 5, 100),
    publishers: count('publishers', values.publishers, 4, 1, 64),
    build: !values['no-build'],
    env: Object.fromEntries(
      values.env.map((pair) => {
        const at = pair.indexOf('=')
        if (at < 1) throw new Error(`--env: expected NAME=value, got ${pair}`)
        return [pair.slice(0, at), pair.slice(at + 1)]
      }),
    ),
    databaseUrl: env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres',
    mqttUrl: env.MQTT_URL?.trim() || 'mqtt://127.0.0.1:18830',
    redisUrl: env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379',
  }
  if (options.ingest + options.combined === 0)
    throw new Error('no process would store the telemetry: give --ingest or --combined')
  if (options.killEvents && options.events < 2)
    throw new Error('--kill-events needs --events 2 or more: the others take over the killed one')
  return options
}
