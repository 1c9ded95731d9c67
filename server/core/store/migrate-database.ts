import type { Logger } from '../log/logger.js'
import type { Database } from './database.js'
import { migrations as allMigrations } from './migrations/index.js'
import type { Migration } from './migrations/migration.js'
import { enableTimescale } from './timescale.js'

/** Any fixed number: it keeps two processes starting at once from migrating at the same time. */
const migrationLockKey = 7_302_001

export interface MigrationReport {
  timescale: boolean
  applied: number[]
  version: number
}

/** Applies every migration not yet applied, each in its own transaction; running it twice is safe. */
export async function migrateDatabase(
  db: Database,
  options: { migrations?: readonly Migration[]; log?: Logger } = {},
): Promise<MigrationReport> {
  const migrations = options.migrations ?? allMigrations
  const timescale = await enableTimescale(db)
  const applied: number[] = []
  const lock = async (tx: { query: Database['query'] }) =>
    tx.query('SELECT pg_advisory_xact_lock($1)', [migrationLockKey])

  await db.transaction(async (tx) => {
    await lock(tx)
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`)
  })
  for (const migration of migrations) {
    const ran = await db.transaction(async (tx) => {
      await lock(tx)
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version])
      if (done.length > 0) return false
      await migration.up(tx, { timescale })
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ])
      return true
    })
    if (ran) {
      applied.push(migration.version)
      options.log?.info(`applied migration ${migration.version} (${migration.name})`)
    }
  }
  const [latest] = await db.query<{ version: number | null }>(
    'SELECT max(version) AS version FROM schema_migrations',
  )
  return { timescale, applied, version: latest?.version ?? 0 }
}
