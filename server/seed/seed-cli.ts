import { loadCixiWorld } from '../../fixtures/cixi-world.js'
import { readCommandLine } from '../core/cli/command-line.js'
import { loadConfigOrExit } from '../core/config/load-config.js'
import { createLogger } from '../core/log/logger.js'
import { loadCountyBoundary } from '../core/registers/county-boundary.js'
import { migrateDatabase } from '../core/store/migrate-database.js'
import { openDatabase } from '../core/store/open-database.js'
import { seedCixiWorld } from './seed-cixi-world.js'

/**
 * `npm run seed`: loads the Cixi fixture world into the configured store. Safe to run again. The
 * embedded store belongs to one process, so stop `npm start` before seeding it.
 */
readCommandLine({
  usage: `usage: npm run seed

Takes no options: loads the Cixi fixture world into the store of DATABASE_URL, or the embedded one
in DATA_DIR (stop npm start first: one process at a time owns it). Safe to run again.`,
  options: {},
})
const config = loadConfigOrExit(process.env)
const log = createLogger({ level: config.LOG_LEVEL })
const db = await openDatabase(config)
try {
  await migrateDatabase(db, { log })
  const county = await loadCountyBoundary(config.COUNTY_BOUNDARY_FILE)
  const report = await seedCixiWorld(db, await loadCixiWorld(), { county })
  console.log(JSON.stringify(report))
} finally {
  await db.close()
}
