import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { registersFromCixiWorld } from '../fixtures/cixi-registers.js'
import { loadCixiWorld } from '../fixtures/cixi-world.js'
import { loadCountyBoundary, type CountyBoundary } from '../server/core/registers/county-boundary.js'
import { exportRegisterWorkbook } from '../server/core/registers/export-registers.js'
import {
  importRegisters,
  locateRecords,
  type RegisterImportReport,
} from '../server/core/registers/import-registers.js'
import { mergeRegisters, type LocatedRecords } from '../server/core/registers/merge-registers.js'
import type { ParsedRegisters } from '../server/core/registers/read-register-files.js'
import { readRegisters } from '../server/core/registers/read-registers.js'
import { readUploadedRegisters } from '../server/core/registers/read-uploaded-registers.js'
import {
  registerKeys,
  registerNames,
  type RegisterName,
  type RegisterSet,
} from '../server/core/registers/register-records.js'
import { registerSheets } from '../server/core/registers/register-sheets.js'
import { validateRegisters } from '../server/core/registers/validate-registers.js'
import { writeRegisterWorkbook } from '../server/core/registers/write-register-files.js'
import { writeRegisters } from '../server/core/registers/write-registers.js'
import type { Database, Queryable } from '../server/core/store/database.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { openBenchDatabase } from './open-bench-database.js'
import { CIXI_BOUNDARY_FILE } from './registers/county-area.js'
import { generateCountyRegisters } from './registers/generate-county-registers.js'
import { readCommandLine } from '../server/core/cli/command-line.js'

/**
 * `npm run bench:registers [-- --pupils 100000 --buses 2000 --stops 20000 --seed N --database URL]`:
 * the registers' import and export at the size of a county. First the Cixi fixture world, written as
 * a workbook and imported into an empty store; then a synthetic county of the size asked
 * (bench/registers/generate-county-registers.ts), its workbook imported into another empty store,
 * exported, and the export read back (it must give the generated records) and imported as a dry run
 * (it must change nothing). Then, unless `--skip-breakdown`, the import's steps one by one into a
 * third store, to show where the time goes. Each store is embedded PGlite in a temporary folder, or
 * a database of its own on the PostgreSQL server `--database` (or DATABASE_URL) names, dropped
 * afterwards. Progress on stderr; the last line on stdout is one JSON object.
 */
const commandLine = readCommandLine({
  usage: `usage: npm run bench:registers [-- --pupils 100000 --buses 2000 --stops 20000 --seed N --database URL]

  --pupils N         pupils of the synthetic county (default 100000)
  --buses N          its buses (default 2000)
  --stops N          its stops (default 20000)
  --seed N           the generator's seed (default: its own)
  --database URL     a PostgreSQL server to make the run's databases on (default DATABASE_URL, else
                     embedded stores in temporary folders)
  --skip-breakdown   leave out the import's steps one by one`,
  options: {
    pupils: { type: 'string', default: '100000' },
    buses: { type: 'string', default: '2000' },
    stops: { type: 'string', default: '20000' },
    seed: { type: 'string' },
    database: { type: 'string' },
    'skip-breakdown': { type: 'boolean', default: false },
  },
})
const { values } = commandLine
const sizes = {
  pupils: commandLine.number('pupils', { whole: true, min: 0 }),
  buses: commandLine.number('buses', { whole: true, min: 0 }),
  stops: commandLine.number('stops', { whole: true, min: 0 }),
}
const seed = values.seed === undefined ? undefined : commandLine.number('seed', { whole: true, min: 0 })
const databaseUrl = values.database?.trim() || process.env.DATABASE_URL?.trim() || undefined
const suffix = randomBytes(4).toString('hex')
const actor = 'bench:registers'
const started = performance.now()
const say = (line: string) =>
  process.stderr.write(`registers [${((performance.now() - started) / 1000).toFixed(1)} s]: ${line}\n`)
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits

/** Runs `work`, says how long it took and hands back its result with the seconds. */
async function timed<T>(label: string, work: () => Promise<T> | T): Promise<[T, number]> {
  const at = performance.now()
  const result = await work()
  const seconds = (performance.now() - at) / 1000
  say(`${label}: ${seconds.toFixed(2)} s`)
  return [result, seconds]
}

/** An empty, migrated store of the run's own; `dispose` removes it. */
async function openStore(role: string) {
  const store = await openBenchDatabase(databaseUrl, `stp_registers_${suffix}_${role}`)
  await migrateDatabase(store.db)
  return store
}

function sayProblems(what: string, report: Pick<RegisterImportReport, 'errorCount' | 'problems'>) {
  if (report.errorCount === 0) return
  say(`${what}: ${report.errorCount} errors, the first ones:`)
  for (const p of report.problems.slice(0, 10)) {
    say(`  ${p.sheet} row ${p.row ?? '-'} ${p.column ?? ''} [${p.code}] ${p.value ?? ''}: ${p.message}`)
  }
}

function describeCounts(report: RegisterImportReport): string {
  return Object.entries(report.counts)
    .map(([register, c]) => `${register} +${c.inserted} ~${c.updated} =${c.unchanged} -${c.removed}`)
    .join(', ')
}

/** The register's records in natural-key order (code-unit order, as the store reads them). */
function sortedByKey<R extends RegisterName>(register: R, records: readonly RegisterSet[R][number][]) {
  const keyOf = registerKeys[register] as (record: RegisterSet[R][number]) => string
  return records
    .map((record) => ({ key: keyOf(record), record }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}

/** Where the records read from a workbook differ from `expected`, field by field; at most `limit` listed. */
function compareRecords(expected: RegisterSet, parsed: ParsedRegisters, limit = 10): string[] {
  const differences: string[] = []
  let total = 0
  const note = (text: string) => {
    if (total++ < limit) differences.push(text)
  }
  for (const register of registerNames) {
    const fields = registerSheets[register].columns.map((c) => c.field).filter((field) => field !== 'datum')
    const want = sortedByKey(register, expected[register])
    const got = sortedByKey(
      register,
      (parsed.records[register] ?? []).map(({ record }) => record as RegisterSet[typeof register][number]),
    )
    if (want.length !== got.length) note(`${register}: ${got.length} records, expected ${want.length}`)
    for (let i = 0; i < Math.min(want.length, got.length); i++) {
      const a = want[i]!
      const b = got[i]!
      if (a.key !== b.key) {
        note(`${register}: record ${i + 1} is ${b.key}, expected ${a.key}`)
        break
      }
      const left = a.record as unknown as Record<string, unknown>
      const right = b.record as unknown as Record<string, unknown>
      for (const field of fields) {
        if (!isDeepStrictEqual(left[field] ?? null, right[field] ?? null)) {
          note(
            `${register} ${a.key}: ${field} ${JSON.stringify(right[field])}, expected ${JSON.stringify(left[field])}`,
          )
        }
      }
    }
  }
  if (total > limit) differences.push(`… ${total - limit} more`)
  return differences
}

function changesNothing(report: RegisterImportReport): boolean {
  return Object.values(report.counts).every((c) => c.inserted === 0 && c.updated === 0 && c.removed === 0)
}

/**
 * The steps of importRegisters one by one into an empty store, as importRegisters runs them, with
 * the time of each statement writeRegisters runs, the slowest said.
 */
async function breakDownImport(
  db: Database,
  records: LocatedRecords,
  county: CountyBoundary,
  steps: Record<string, number>,
) {
  await db.transaction(async (tx) => {
    const [stored, readS] = await timed('  readRegisters (empty store)', () => readRegisters(tx))
    steps.readRegistersEmptySeconds = readS
    const [merge, mergeS] = await timed('  mergeRegisters', () =>
      mergeRegisters(stored, records, { remove: false }),
    )
    steps.mergeRegistersSeconds = mergeS
    const [problems, validateS] = await timed('  validateRegisters', () =>
      validateRegisters(merge.merged, merge.origins, county),
    )
    steps.validateRegistersSeconds = validateS
    if (problems.length > 0) {
      say(`  validateRegisters found ${problems.length} problems: writeRegisters is not timed`)
      return
    }
    const statements = new Map<string, { count: number; seconds: number }>()
    const [, writeS] = await timed('  writeRegisters', () =>
      writeRegisters(timeStatements(tx, statements), merge.changes),
    )
    steps.writeRegistersSeconds = writeS
    for (const [sql, { count, seconds }] of [...statements]
      .sort((x, y) => y[1].seconds - x[1].seconds)
      .slice(0, 8)) {
      say(`    ${seconds.toFixed(2)} s in ${count} × ${sql}`)
    }
  })
}

/** `tx` with the time of each statement added up under its first words, in `statements`. */
function timeStatements(
  tx: Queryable,
  statements: Map<string, { count: number; seconds: number }>,
): Queryable {
  const record = async <T>(sql: string, work: () => Promise<T>): Promise<T> => {
    const at = performance.now()
    try {
      return await work()
    } finally {
      const key = sql.replace(/\s+/g, ' ').trim().slice(0, 100)
      const entry = statements.get(key) ?? { count: 0, seconds: 0 }
      entry.count++
      entry.seconds += (performance.now() - at) / 1000
      statements.set(key, entry)
    }
  }
  return {
    query: (sql, params) => record(sql, () => tx.query(sql, params)),
    exec: (sql) => record(sql, () => tx.exec(sql)),
    copyFrom: (sql, text) => record(sql, () => tx.copyFrom(sql, text)),
  }
}

const cleanups: Array<() => Promise<unknown>> = []
/** The last line on stdout; null until measured. */
const result = {
  pupils: null as number | null,
  guardians: null as number | null,
  buses: null as number | null,
  stops: null as number | null,
  cixiImportSeconds: null as number | null,
  importSeconds: null as number | null,
  exportSeconds: null as number | null,
  workbookMb: null as number | null,
  peakRssMb: null as number | null,
  roundTripEqual: false,
  problems: null as number | null,
}
/** Where the time went, on stderr. */
const steps: Record<string, number> = {}
let failure: string | null = null
try {
  const county = await loadCountyBoundary(CIXI_BOUNDARY_FILE)
  say(`stores: ${databaseUrl ? `scratch databases on ${new URL(databaseUrl).host}` : 'embedded PGlite'}`)

  // (a) The Cixi fixture world through the same import as a bureau's workbook.
  const cixiSet = registersFromCixiWorld(await loadCixiWorld())
  const cixiBytes = await writeRegisterWorkbook(cixiSet)
  say(`Cixi world: ${cixiSet.pupils.length} pupils, workbook ${(cixiBytes.length / 2 ** 20).toFixed(1)} MB`)
  const cixiStore = await openStore('cixi')
  cleanups.push(() => cixiStore.dispose())
  const [cixiReport, cixiImportSeconds] = await timed('Cixi import (read + check + apply)', async () =>
    importRegisters(cixiStore.db, await readUploadedRegisters({ name: 'cixi.xlsx', bytes: cixiBytes }), {
      apply: true,
      remove: false,
      actor,
      source: 'cixi.xlsx',
      county,
    }),
  )
  result.cixiImportSeconds = round(cixiImportSeconds)
  sayProblems('Cixi import', cixiReport)
  await cixiStore.dispose()
  cleanups.pop()

  // (b) The synthetic county: its workbook on disk, imported into an empty store.
  const [set, generateSeconds] = await timed(
    `generate ${sizes.pupils} pupils, ${sizes.buses} buses, ${sizes.stops} stops`,
    () => generateCountyRegisters({ ...sizes, seed }),
  )
  steps.generateSeconds = generateSeconds
  Object.assign(result, {
    pupils: set.pupils.length,
    guardians: set.guardians.length,
    buses: set.buses.length,
    stops: set.stops.length,
  })
  say(`generated: ${registerNames.map((register) => `${register} ${set[register].length}`).join(', ')}`)
  const [bytes, writeWorkbookSeconds] = await timed('write the workbook (not timed)', () =>
    writeRegisterWorkbook(set),
  )
  steps.writeWorkbookSeconds = writeWorkbookSeconds
  result.workbookMb = round(bytes.length / 2 ** 20, 1)
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stp-registers-bench-'))
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }))
  const file = path.join(dir, 'county.xlsx')
  await fs.writeFile(file, bytes)
  say(`workbook ${file}: ${result.workbookMb} MB`)

  const store = await openStore('county')
  cleanups.push(() => store.dispose())
  const { db } = store
  const importStart = performance.now()
  const [parsed, readWorkbookSeconds] = await timed('  read the workbook', async () =>
    readUploadedRegisters({ name: 'county.xlsx', bytes: new Uint8Array(await fs.readFile(file)) }),
  )
  steps.readWorkbookSeconds = readWorkbookSeconds
  if (parsed.problems.length > 0) {
    say(`  reading the workbook found ${parsed.problems.length} problems, the first ones:`)
    for (const p of parsed.problems.slice(0, 5)) {
      say(`    ${p.sheet} row ${p.row ?? '-'} ${p.column ?? ''} [${p.code}] ${p.value ?? ''}`)
    }
  }
  const [report, importRegistersSeconds] = await timed('  importRegisters (apply)', () =>
    importRegisters(db, parsed, { apply: true, remove: false, actor, source: 'county.xlsx', county }),
  )
  steps.importRegistersSeconds = importRegistersSeconds
  const importSeconds = (performance.now() - importStart) / 1000
  result.importSeconds = round(importSeconds)
  result.problems = cixiReport.errorCount + report.errorCount
  say(`county import (read + check + apply): ${importSeconds.toFixed(2)} s; ${describeCounts(report)}`)
  sayProblems('county import', report)
  if (!report.applied) {
    say('the workbook was refused: the generated records go in directly, so that export can be measured')
    const [direct, importRecordsSeconds] = await timed(
      '  importRegisters (apply) of the generated records',
      () =>
        importRegisters(
          db,
          { records: locateRecords(set, 'generated'), problems: [] },
          {
            apply: true,
            remove: false,
            actor,
            source: 'generated',
            county,
          },
        ),
    )
    steps.importRecordsSeconds = importRecordsSeconds
    sayProblems('import of the generated records', direct)
  }

  const [exported, exportSeconds] = await timed('export', () => exportRegisterWorkbook(db, { actor }))
  result.exportSeconds = round(exportSeconds)
  say(`exported workbook: ${(exported.length / 2 ** 20).toFixed(1)} MB`)
  const [readBack, readExportSeconds] = await timed('read the export back', () =>
    readUploadedRegisters({ name: 'export.xlsx', bytes: exported }),
  )
  steps.readExportSeconds = readExportSeconds
  const differences = compareRecords(set, readBack)
  for (const line of differences) say(`  differs: ${line}`)
  const [dryRun, dryRunSeconds] = await timed('dry-run import of the export (remove on)', () =>
    importRegisters(db, readBack, { apply: false, remove: true, actor, source: 'export.xlsx', county }),
  )
  steps.dryRunSeconds = dryRunSeconds
  say(`dry run: ${describeCounts(dryRun)}`)
  sayProblems('dry-run import of the export', dryRun)
  result.roundTripEqual =
    readBack.problems.length === 0 &&
    differences.length === 0 &&
    dryRun.errorCount === 0 &&
    changesNothing(dryRun)
  result.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024)

  const [stored, readStoredSeconds] = await timed(
    '  readRegisters (full store, as export and a re-import read it)',
    () => readRegisters(db),
  )
  steps.readStoredSeconds = readStoredSeconds
  const [, writeExportSeconds] = await timed('  writeRegisterWorkbook (of what readRegisters read)', () =>
    writeRegisterWorkbook(stored),
  )
  steps.writeExportWorkbookSeconds = writeExportSeconds
  if (!values['skip-breakdown']) {
    // The generated records themselves when the workbook did not read back whole.
    const records = parsed.problems.length === 0 ? parsed.records : locateRecords(set, 'generated')
    say(
      `the import step by step into a third store, of the ${parsed.problems.length === 0 ? 'workbook' : 'generated'} records:`,
    )
    const third = await openStore('steps')
    cleanups.push(() => third.dispose())
    await breakDownImport(third.db, records, county, steps)
  }
} catch (error) {
  failure = error instanceof Error ? (error.stack ?? error.message) : String(error)
  say(failure)
} finally {
  for (const cleanup of cleanups.reverse()) {
    await cleanup().catch((error: unknown) => say(`cleanup failed: ${String(error)}`))
  }
}
say(
  `steps: ${JSON.stringify(Object.fromEntries(Object.entries(steps).map(([step, s]) => [step, round(s)])))}`,
)
result.peakRssMb ??= Math.round(process.resourceUsage().maxRSS / 1024)
console.log(JSON.stringify(result))
process.exit(failure !== null || result.problems !== 0 || !result.roundTripEqual ? 1 : 0)
