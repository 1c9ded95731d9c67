import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { Database } from '../../server/core/store/database.js'
import { openPgliteDatabase } from '../../server/core/store/pglite-database.js'
import { openPostgresDatabase } from '../../server/core/store/postgres-database.js'
import { runsEmbedded } from './test-level.js'
import { testServiceUrl } from './test-service-url.js'

export interface StoreBackend {
  name: string
  /** TimescaleDB is expected on this backend. */
  timescale: boolean
  /** Several connections can share the database at once, as several processes would. */
  shared: boolean
  /** A fresh, empty database of this kind. */
  open(): Promise<TestDatabase>
}

export interface TestDatabase {
  db: Database
  /** How another process reaches this database; undefined for the in-process embedded store. */
  url?: string
  /** Opens another connection to the same database (a second process, a restart). */
  reopen(): Promise<Database>
  dispose(): Promise<void>
}

export const embeddedStore: StoreBackend = {
  name: 'embedded PGlite with TimescaleDB',
  timescale: true,
  shared: false,
  async open() {
    const db = await openPgliteDatabase()
    return {
      db,
      reopen: () => Promise.reject(new Error('an in-memory PGlite cannot be reopened; use a data folder')),
      dispose: () => db.close(),
    }
  },
}

/** A throwaway database on the PostgreSQL server at `adminUrl`, dropped on dispose. */
export function postgresStore(adminUrl: string): StoreBackend {
  return {
    name: `PostgreSQL at ${new URL(adminUrl).host}`,
    timescale: false,
    shared: true,
    async open() {
      const name = `stp_test_${randomBytes(6).toString('hex')}`
      const admin = new pg.Client({ connectionString: adminUrl })
      await admin.connect()
      await admin.query(`CREATE DATABASE ${name}`)
      await admin.end()
      const url = new URL(adminUrl)
      url.pathname = `/${name}`
      const opened: Database[] = []
      const reopen = async () => {
        const db = openPostgresDatabase({ url: url.toString(), maxConnections: 4 })
        opened.push(db)
        return db
      }
      return {
        db: await reopen(),
        url: url.toString(),
        reopen,
        async dispose() {
          await Promise.all(opened.map((db) => db.close()))
          const cleanup = new pg.Client({ connectionString: adminUrl })
          await cleanup.connect()
          await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
          await cleanup.end()
        },
      }
    },
  }
}

/** The embedded store, and the machine's PostgreSQL when TEST_DATABASE_URL names it, as the level runs them. */
export function storeBackends(): StoreBackend[] {
  const url = testServiceUrl('TEST_DATABASE_URL')
  return [...(runsEmbedded ? [embeddedStore] : []), ...(url ? [postgresStore(url)] : [])]
}
