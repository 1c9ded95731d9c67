import { registersFromCixiWorld } from '../../fixtures/cixi-registers.js'
import type { CixiWorld } from '../../fixtures/cixi-world.js'
import type { CountyBoundary } from '../core/registers/county-boundary.js'
import { importRegisters, locateRecords } from '../core/registers/import-registers.js'
import type { RegisterName } from '../core/registers/register-records.js'
import type { Database, Queryable } from '../core/store/database.js'

export type SeedReport = { [R in RegisterName]: number }

/**
 * Loads the fixture world into the store through the registers' import, the way a bureau's
 * workbook comes in: the same checks, one transaction, upserts by natural key. Safe to run again:
 * nothing changes the second time, and nothing the world does not name is removed, since telemetry
 * and boarding records may refer to it. Throws with the problems when the world fails a check.
 */
export async function seedCixiWorld(
  db: Database,
  world: CixiWorld,
  options: { county?: CountyBoundary } = {},
): Promise<SeedReport> {
  const registers = registersFromCixiWorld(world)
  const report = await importRegisters(
    db,
    { records: locateRecords(registers, 'Cixi fixture world'), problems: [] },
    { apply: true, remove: false, actor: 'demo seed', source: 'fixtures/cixi', county: options.county },
  )
  if (!report.applied) {
    const listed = report.problems
      .filter((p) => p.severity === 'error')
      .slice(0, 10)
      .map((p) => `${p.sheet} row ${p.row ?? '-'} ${p.column ?? ''}: ${p.message}`)
    throw new Error(
      `the fixture world fails the register checks (${report.errorCount} errors):\n${listed.join('\n')}`,
    )
  }
  return Object.fromEntries(
    Object.entries(registers).map(([name, records]) => [name, records.length]),
  ) as SeedReport
}

/** The store is empty of reference data: `npm start` seeds it then. */
export async function isWorldSeeded(db: Queryable): Promise<boolean> {
  return (await db.query('SELECT 1 FROM buses LIMIT 1')).length > 0
}
