import path from 'node:path'
import type { Config } from '../config/config-schema.js'
import type { Database } from './database.js'
import { openPgliteDatabase } from './pglite-database.js'
import { openPostgresDatabase } from './postgres-database.js'

/** The server named by DATABASE_URL, or the embedded store in DATA_DIR (one process at a time). */
export async function openDatabase(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>): Promise<Database> {
  return config.DATABASE_URL
    ? openPostgresDatabase({ url: config.DATABASE_URL })
    : openPgliteDatabase({ dataDir: embeddedDataDir(config) })
}

export function embeddedDataDir(config: Pick<Config, 'DATA_DIR'>): string {
  return path.join(config.DATA_DIR, 'pgdata')
}
