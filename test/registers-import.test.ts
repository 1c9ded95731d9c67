import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCixiWorld, type CixiWorld } from '../fixtures/cixi-world.js'
import { loadConfig } from '../server/core/config/load-config.js'
import { loadCountyBoundary, type CountyBoundary } from '../server/core/registers/county-boundary.js'
import { exportRegisterWorkbook } from '../server/core/registers/export-registers.js'
import { importRegisters } from '../server/core/registers/import-registers.js'
import { readRegisterWorkbook } from '../server/core/registers/read-register-files.js'
import { readRegisters } from '../server/core/registers/read-registers.js'
import { listRegisterChanges } from '../server/core/registers/register-change-log.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { planInputFromRegisters } from '../server/planning/plan-input-from-registers.js'
import { seedCixiWorld } from '../server/seed/seed-cixi-world.js'
import { storeBackends, type TestDatabase } from './support/store-backends.js'

/**
 * The registers' import and export against both store backends: the demo world seeded through the
 * import exports to a workbook that imports back changing nothing, into the same store and into an
 * empty one, where it gives the planner the same input; and a workbook with one of each mistake has
 * each reported at its sheet, row and column, and nothing applied.
 */
let world: CixiWorld
let county: CountyBoundary
beforeAll(async () => {
  world = await loadCixiWorld()
  county = await loadCountyBoundary(loadConfig({}).COUNTY_BOUNDARY_FILE)
})

const importOptions = (apply: boolean) => ({
  apply,
  remove: false,
  actor: 'test bureau',
  source: 'test.xlsx',
  county,
})

/** Sets one cell of a sheet, found by the English part of its header, on a data row. */
function setCell(
  book: ExcelJS.Workbook,
  sheetEn: string,
  row: number,
  headerEn: string,
  value: ExcelJS.CellValue,
) {
  const sheet = book.worksheets.find((s) => s.name.endsWith(` ${sheetEn}`))!
  let column = 0
  sheet.getRow(1).eachCell((cell, i) => {
    if (String(cell.value).endsWith(` ${headerEn}`)) column = i
  })
  expect(column, `${sheetEn}.${headerEn}`).toBeGreaterThan(0)
  sheet.getRow(row).getCell(column).value = value
  return sheet.getRow(1).getCell(column).value as string
}

describe.each(storeBackends())('register import and export on $name', (backend) => {
  let seeded: TestDatabase
  let empty: TestDatabase
  let exported: Uint8Array
  beforeAll(async () => {
    seeded = await backend.open()
    empty = await backend.open()
    await migrateDatabase(seeded.db)
    await migrateDatabase(empty.db)
    await seedCixiWorld(seeded.db, world, { county })
    exported = await exportRegisterWorkbook(seeded.db, { actor: 'test bureau' })
  })
  afterAll(async () => {
    await seeded?.dispose()
    await empty?.dispose()
  })

  it('imports its own export changing nothing, and logs the export', async () => {
    const before = await readRegisters(seeded.db)
    const report = await importRegisters(seeded.db, await readRegisterWorkbook(exported), importOptions(true))
    expect(report.errorCount).toBe(0)
    expect(report.applied).toBe(true)
    for (const counts of Object.values(report.counts)) {
      expect(counts).toMatchObject({ inserted: 0, updated: 0, removed: 0 })
    }
    expect(await readRegisters(seeded.db)).toEqual(before)
    const [exportLog] = await listRegisterChanges(seeded.db, { limit: 1 })
    expect(exportLog).toMatchObject({ action: 'export', actor: 'test bureau' })
    expect(exportLog!.summary).toMatchObject({ personalData: true })
  })

  it('fills an empty store from the export, with the planner’s input the same as from the demo seed', async () => {
    const report = await importRegisters(empty.db, await readRegisterWorkbook(exported), importOptions(true))
    expect(report).toMatchObject({ applied: true, errorCount: 0 })
    expect(report.counts.pupils).toMatchObject({ inserted: world.pupils.length })
    const fromImport = await readRegisters(empty.db)
    const fromSeed = await readRegisters(seeded.db)
    expect(fromImport).toEqual(fromSeed)
    for (const pupilScope of [{ kind: 'riders' }, { kind: 'line_riders' }] as const) {
      expect(planInputFromRegisters(fromImport, { pupilScope })).toEqual(
        planInputFromRegisters(fromSeed, { pupilScope }),
      )
    }
  })

  it('reports each mistake of a workbook at its sheet, row and column, and applies nothing', async () => {
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(Buffer.from(exported) as unknown as ArrayBuffer)
    const registers = await readRegisters(seeded.db)
    const secondPlate = registers.buses[1]!.plate
    const headers = {
      school: setCell(book, 'pupils', 2, 'school', 'no-such-school'),
      plate: setCell(book, 'buses', 3, 'plate', registers.buses[0]!.plate),
      phone: setCell(book, 'guardians', 4, 'phone', '1380013'),
      code: setCell(book, 'pupils', 5, 'code', 'P123456789'),
      stop: setCell(book, 'trip_calls', 6, 'stop', 'no-such-stop'),
      home: setCell(book, 'pupils', 7, 'home_lat', 31.9),
      time: setCell(book, 'trip_calls', 8, 'arrive', '25:99'),
    }
    const bytes = new Uint8Array(await book.xlsx.writeBuffer())
    const before = await readRegisters(seeded.db)
    const report = await importRegisters(seeded.db, await readRegisterWorkbook(bytes), importOptions(true))
    expect(report.applied).toBe(false)
    const found = report.problems.map((p) => [p.sheet, p.row, p.column, p.code])
    expect(found).toEqual(
      expect.arrayContaining([
        ['学生 pupils', 2, headers.school, 'unknown_reference'],
        ['车辆 buses', 3, headers.plate, 'duplicate_key'],
        ['监护人 guardians', 4, headers.phone, 'bad_phone'],
        ['学生 pupils', 5, headers.code, 'bad_pupil_code'],
        ['班次站点 trip_calls', 6, headers.stop, 'unknown_reference'],
        ['学生 pupils', 7, headers.home, 'outside_county'],
        ['班次站点 trip_calls', 8, headers.time, 'bad_time'],
      ]),
    )
    expect(secondPlate).not.toBe(registers.buses[0]!.plate)
    expect(await readRegisters(seeded.db)).toEqual(before)
  })
})
