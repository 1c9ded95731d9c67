/**
 * The environment of a platform process a benchmark starts, as `npm start` runs it but on ports
 * of its own: the Cixi world seeded into the run's own store (its scratch database on
 * PostgreSQL, else an embedded one in `dataDir`), the simulator off (the benchmark drives the
 * buses), its own token secret, and an ingest client and share group no other run uses.
 */
export function demoPlatformEnv(options: {
  dataDir: string
  secret: string
  /** Names the ingest's client and share group: `${name}-ingest-${suffix}`, `${name}-${suffix}`. */
  name: string
  suffix: string
  databaseUrl: string | undefined
}): NodeJS.ProcessEnv {
  const { DEMO_TIME: _time, PARTS: _parts, DATABASE_URL: _database, ...inherited } = process.env
  return {
    ...inherited,
    DEMO: 'on',
    SIMULATOR_FLEET: 'off',
    HOST: '127.0.0.1',
    PORT: '0',
    MQTT_PORT: '0',
    JT808_PORT: '0',
    DATA_DIR: options.dataDir,
    TOKEN_SECRET: options.secret,
    LOG_LEVEL: 'warn',
    INGEST_CLIENT_ID: `${options.name}-ingest-${options.suffix}`,
    INGEST_SHARE_GROUP: `${options.name}-${options.suffix}`,
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  }
}
