import { loadConfigOrExit } from '../core/config/load-config.js'
import { createLogger } from '../core/log/logger.js'
import { loadCountyBoundary, type CountyBoundary } from '../core/registers/county-boundary.js'
import type { Database } from '../core/store/database.js'
import { migrateDatabase } from '../core/store/migrate-database.js'
import { openDatabase } from '../core/store/open-database.js'

/**
 * Runs a registers command against the configured store (DATABASE_URL, or the embedded store in
 * DATA_DIR, which belongs to one process: stop `npm start` first).
 */
export async function withRegisterStore<T>(
  work: (db: Database, county: CountyBoundary) => Promise<T>,
): Promise<T> {
  const config = loadConfigOrExit(process.env)
  const log = createLogger({ level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL })
  const county = await loadCountyBoundary(config.COUNTY_BOUNDARY_FILE)
  const db = await openDatabase(config)
  try {
    await migrateDatabase(db, { log })
    return await work(db, county)
  } finally {
    await db.close()
  }
}
