import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'

/** The seed a simulation uses unless told otherwise: the same seed and date give the same reports. */
export const defaultSimulatorSeed = 2026

/** The parts a process can run (`PARTS`); server/parts/part-registry.ts starts them. */
export const partNames = [
  'api',
  'live',
  'ingest',
  'jt808',
  'events',
  'alarms',
  'planner',
  'simulator',
] as const
export type PartName = (typeof partNames)[number]

const partsMessage = `expected a comma-separated list of ${partNames.join(', ')}`

/** `PARTS=api, live`: each name once, in the order of `partNames`; an unknown or empty name is refused. */
const partList = z.string().transform((value, context): PartName[] => {
  const names = value.split(',').map((name) => name.trim().toLowerCase())
  const unknown = names.filter((name) => !(partNames as readonly string[]).includes(name))
  if (unknown.length > 0 || names.length === 0) {
    const named = unknown.filter((name) => name !== '').map((name) => JSON.stringify(name))
    context.addIssue({
      code: 'custom',
      message: `${partsMessage} (${named.length > 0 ? `not a part: ${named.join(', ')}` : 'a name is empty'})`,
    })
    return z.NEVER
  }
  return partNames.filter((part) => names.includes(part))
})

const urlWithScheme = (schemes: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (value) => {
        try {
          return schemes.includes(new URL(value).protocol.replace(/:$/, ''))
        } catch {
          return false
        }
      },
      { message: `expected a URL starting with ${schemes.map((s) => `${s}://`).join(' or ')}` },
    )

/** The host of a URL template (`{s}` and all): what a URL parser would refuse to read. */
const hostOf = (template: string) =>
  template
    .replace(/^https?:\/\//, '')
    .split(/[/?#]/)[0]!
    .toLowerCase()

const port = (fallback: number) =>
  z.coerce
    .number({ message: 'expected an integer from 0 to 65535' })
    .int('expected an integer from 0 to 65535')
    .min(0, 'expected an integer from 0 to 65535')
    .max(65535, 'expected an integer from 0 to 65535')
    .default(fallback)

/**
 * Every variable a process reads. An unset external-service URL selects the embedded stand-in
 * (DESIGN §3). Empty strings count as unset so that `FOO= npm start` behaves like leaving it out.
 */
export const configSchema = z
  .object({
    DATABASE_URL: urlWithScheme(['postgres', 'postgresql']).optional(),
    MQTT_URL: urlWithScheme(['mqtt', 'mqtts', 'tcp', 'ws', 'wss']).optional(),
    OSRM_URL: urlWithScheme(['http', 'https']).optional(),
    REDIS_URL: urlWithScheme(['redis', 'rediss']).optional(),
    /**
     * Map tiles under the pages' own roads, an XYZ template with {z}, {x} and {y} (and {s} for a
     * subdomain), e.g. `https://tile.example.org/{z}/{x}/{y}.png`; unset, the pages draw the roads alone.
     */
    TILE_URL: z
      .string()
      .trim()
      .regex(/^https?:\/\/[^/?#]+/, 'expected an http(s) URL template')
      .refine((url) => ['{z}', '{x}', '{y}'].every((part) => url.includes(part)), {
        message: 'expected an http(s) URL template with {z}, {x} and {y}',
      })
      .refine((url) => !hostOf(url).includes('{s}') || /^[^.]*\{s\}[^.]*\./.test(hostOf(url)), {
        message: 'expected {s} only in the first part of the host name (a.tile.example.org) or in the path',
      })
      .refine((url) => !/\{[zxy]\}/.test(hostOf(url)), { message: 'expected {z}, {x} and {y} in the path' })
      .optional(),
    /**
     * What the tiles of TILE_URL are drawn in: `wgs84` (天地图, OpenStreetMap) or `gcj02` (AMap, Tencent).
     * Every coordinate of the platform is WGS-84; on GCJ-02 tiles the pages shift what they draw to match.
     */
    TILE_DATUM: z.enum(['wgs84', 'gcj02'], { message: 'expected wgs84 or gcj02' }).optional(),
    /** The tiles' credit, shown on the map as plain text, e.g. `© 高德地图`. */
    TILE_ATTRIBUTION: z.string().trim().max(200, 'expected at most 200 characters').optional(),
    /** The values {s} of TILE_URL takes, one character each, e.g. `1234` or `01234567`. */
    TILE_SUBDOMAINS: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{1,16}$/, 'expected 1 to 16 letters or digits, one per subdomain')
      .default('abc'),
    /** A bus standing this long with its engine off at its last stop or depot, a pupil still marked on board, raises the alarm. */
    LEFT_ON_BUS_AFTER_S: z.coerce
      .number({ message: 'expected a whole number of seconds from 5 to 3600' })
      .int('expected a whole number of seconds from 5 to 3600')
      .min(5, 'expected a whole number of seconds from 5 to 3600')
      .max(3600, 'expected a whole number of seconds from 5 to 3600')
      .default(300),
    /** A line plan still running after this long is stopped and marked failed. */
    PLAN_TIME_LIMIT_MS: z.coerce
      .number({ message: 'expected a whole number of milliseconds from 1000 to 86400000' })
      .int('expected a whole number of milliseconds from 1000 to 86400000')
      .min(1000, 'expected a whole number of milliseconds from 1000 to 86400000')
      .max(86_400_000, 'expected a whole number of milliseconds from 1000 to 86400000')
      .default(15 * 60_000),
    HOST: z.string().trim().min(1).default('127.0.0.1'),
    PORT: port(3000),
    MQTT_PORT: port(1884),
    /** The JT/T 808 gateway's TCP port, where GPS terminals that speak JT/T 808 report (`0` picks a free one). */
    JT808_PORT: port(7808),
    DATA_DIR: z
      .string()
      .trim()
      .min(1)
      .default('./data')
      .transform((dir) => path.resolve(dir)),
    /** The road network the embedded router drives on (RoadNetwork JSON, e.g. from `npm run import:osm`). */
    ROADS_FILE: z
      .string()
      .trim()
      .min(1)
      .default(fileURLToPath(new URL('../../../fixtures/cixi/roads.json', import.meta.url)))
      .transform((file) => path.resolve(file)),
    /** The county the registers belong to (GeoJSON Polygon or MultiPolygon, WGS-84): sites and homes must lie in it. */
    COUNTY_BOUNDARY_FILE: z
      .string()
      .trim()
      .min(1)
      .default(fileURLToPath(new URL('../../../fixtures/cixi/county-boundary.geojson', import.meta.url)))
      .transform((file) => path.resolve(file)),
    TOKEN_SECRET: z.string().min(32, 'expected at least 32 characters').optional(),
    TOKEN_TTL_S: z.coerce
      .number({ message: 'expected a whole number of seconds from 60 to 2592000' })
      .int('expected a whole number of seconds from 60 to 2592000')
      .min(60, 'expected a whole number of seconds from 60 to 2592000')
      .max(2_592_000, 'expected a whole number of seconds from 60 to 2592000')
      .default(12 * 3600),
    /**
     * `on` behind a reverse proxy that terminates TLS: the client's address is taken from
     * X-Forwarded-For and HSTS is sent when X-Forwarded-Proto is https. Off, both headers are ignored.
     */
    TRUST_PROXY: z.enum(['on', 'off']).default('off'),
    LOG_LEVEL: z.enum(['info', 'warn', 'error', 'silent']).default('info'),
    /** Stable per worker: the broker keeps what a worker has not acknowledged under this id. */
    INGEST_CLIENT_ID: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected 1 to 64 letters, digits, dots, dashes or underscores')
      .default(
        `ingest-${os
          .hostname()
          .replace(/[^A-Za-z0-9_.-]/g, '-')
          .slice(0, 50)}`,
      ),
    INGEST_SHARE_GROUP: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected 1 to 64 letters, digits, dashes or underscores')
      .default('ingest'),
    INGEST_STATS_INTERVAL_S: z.coerce
      .number({ message: 'expected a number of seconds from 0.1 to 3600' })
      .min(0.1, 'expected a number of seconds from 0.1 to 3600')
      .max(3600, 'expected a number of seconds from 0.1 to 3600')
      .default(60),
    /** Dead letters older than this are deleted, hourly. */
    DEAD_LETTER_RETENTION_DAYS: z.coerce
      .number({ message: 'expected a whole number of days from 1 to 3650' })
      .int('expected a whole number of days from 1 to 3650')
      .min(1, 'expected a whole number of days from 1 to 3650')
      .max(3650, 'expected a whole number of days from 1 to 3650')
      .default(30),
    /** Which parts this process runs; every part (but the simulator when DEMO is off) when unset. */
    PARTS: partList.optional(),
    /**
     * `on`: an empty store gets the Cixi fixture world and the simulator drives it; `off`: nothing
     * fake is seeded or simulated unless PARTS names the simulator. Unset: on with the embedded
     * store, off with DATABASE_URL.
     */
    DEMO: z.enum(['on', 'off'], { message: 'expected on or off' }).optional(),
    /** `cixi`: the simulator part drives the 36 fixture buses on today's timetable; `off`: it does not. */
    SIMULATOR_FLEET: z.enum(['off', 'cixi'], { message: 'expected off or cixi' }).default('cixi'),
    /**
     * How the simulated terminals report: `mqtt` to the broker, or `jt808` to the JT/T 808 gateway
     * on HOST:JT808_PORT, as Chinese bus terminals do (the buses need terminal numbers).
     */
    SIMULATOR_PROTOCOL: z.enum(['mqtt', 'jt808'], { message: 'expected mqtt or jt808' }).default('mqtt'),
    /** Run the whole process as if it were this time (HH:MM) in Cixi now, to watch trips at any hour. */
    DEMO_TIME: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a local time HH:MM')
      .optional(),
    /** The simulator's random seed: the same seed and date give the same reports. */
    SIMULATOR_SEED: z.coerce
      .number({ message: 'expected a whole number' })
      .int('expected a whole number')
      .default(defaultSimulatorSeed),
  })
  .superRefine((env, context) => {
    // Drawn on the wrong datum, every bus and stop would sit hundreds of metres off its street.
    if (env.TILE_URL && !env.TILE_DATUM)
      context.addIssue({
        code: 'custom',
        path: ['TILE_DATUM'],
        message: 'required when TILE_URL is set: wgs84 (天地图, OpenStreetMap) or gcj02 (AMap, Tencent)',
      })
  })

/** The environment as parsed, before the defaults that depend on other variables are filled in. */
export type ParsedEnvironment = z.infer<typeof configSchema>

export type Config = Omit<ParsedEnvironment, 'PARTS' | 'DEMO'> & {
  /** The parts this process runs, each once, in the order of `partNames`. */
  PARTS: readonly PartName[]
  DEMO: 'on' | 'off'
}

/**
 * Fills in the defaults that depend on other variables: DEMO is on with the embedded store and off
 * with DATABASE_URL, and PARTS is every part, leaving out the simulator when DEMO is off (fake buses
 * run only when asked for).
 */
export function resolveConfig(parsed: ParsedEnvironment): Config {
  const DEMO = parsed.DEMO ?? (parsed.DATABASE_URL ? 'off' : 'on')
  const PARTS = parsed.PARTS ?? partNames.filter((part) => DEMO === 'on' || part !== 'simulator')
  return { ...parsed, PARTS, DEMO }
}
