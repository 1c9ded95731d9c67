import fs from 'node:fs/promises'
import path from 'node:path'
import ExcelJS from 'exceljs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCixiWorld, type CixiWorld } from '../fixtures/cixi-world.js'
import type { Platform } from '../server/start-platform.js'
import { contentSecurityViolations, testChromiumPath } from './support/browser.js'
import { artifactsDir, startPageSuite, type PageSuite } from './support/page-suite.js'
import { openAsStaff } from './support/staff-session.js'

/**
 * The registers page in headless Chromium against the whole platform on embedded defaults, whose
 * demo world came in through the registers import: a workbook with mistakes checked and refused
 * cell by cell, the corrected one applied, a bus edited in the table (and a bad edit shown beside
 * its field), a removal refused while others refer to the record, the workbook downloaded, the
 * change log, and what a parent's and a school's links see.
 */
const chromiumPath = testChromiumPath()
const desk = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true }
const phone = { viewport: { width: 390, height: 844 }, locale: 'zh-CN', deviceScaleFactor: 2 }
const importTimeoutMs = 120_000

interface Listed<T> {
  total: number
  records: { key: string; record: T }[]
}
interface Change {
  id: number
  actor: string
  action: string
  register: string | null
  recordKey: string | null
  summary: Record<string, unknown>
}

/** The column of a sheet whose header (row 1) is `header`, 1-based. */
function columnOf(sheet: ExcelJS.Worksheet, header: string): number {
  let found = 0
  sheet.getRow(1).eachCell((cell, column) => {
    if (String(cell.value).trim() === header) found = column
  })
  if (!found) throw new Error(`no column ${header} in sheet ${sheet.name}`)
  return found
}

/** A copy of the workbook `bytes` with `edit` applied, saved as `name` for the file input. */
async function editedWorkbook(
  bytes: Uint8Array,
  dir: string,
  name: string,
  edit: (workbook: ExcelJS.Workbook) => void,
): Promise<string> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer)
  edit(workbook)
  const file = path.join(dir, name)
  await fs.writeFile(file, Buffer.from(await workbook.xlsx.writeBuffer()))
  return file
}

function sheetNamed(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const sheet = workbook.getWorksheet(name)
  if (!sheet) throw new Error(`no sheet ${name}: ${workbook.worksheets.map((s) => s.name).join(', ')}`)
  return sheet
}

/** A pupil code with its check digit changed, so that the check fails. */
const wrongCheckDigit = (code: string) => `${code.slice(0, -1)}${(Number(code.at(-1)) + 1) % 10}`

describe.skipIf(!chromiumPath)('the registers page in Chromium', () => {
  let suite: PageSuite | undefined
  let dataDir: string
  let platform: Platform
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let world: CixiWorld
  const tokens = { bureau: '', parent: '', school: '' }

  const call = async (apiPath: string, token = tokens.bureau) => {
    const response = await fetch(`${platform.httpUrl}${apiPath}`, {
      headers: { authorization: `Bearer ${token}` },
    })
    return response
  }
  const api = async <T>(apiPath: string, token = tokens.bureau): Promise<T> => {
    const response = await call(apiPath, token)
    expect(response.status, `${apiPath}: ${await response.clone().text()}`).toBe(200)
    return (await response.json()) as T
  }
  const shot = (name: string, on: Page = page) =>
    on.screenshot({ path: path.join(artifactsDir, name), fullPage: true })
  const openView = async (view: string) => {
    await page.locator(`#views button[data-view="${view}"]`).click()
    await page.locator(`#view-${view}`).waitFor({ state: 'visible' })
  }
  /** Picks the file, checks it (the dry run) and waits for the report. */
  const checkFile = async (file: string) => {
    await openView('import')
    await page.locator('#import-file').setInputFiles(file)
    await page.locator('#import-check').click()
    await page.locator('#import-result').waitFor({ state: 'visible', timeout: importTimeoutMs })
    await page.locator('#import-check:not([disabled])').waitFor({ timeout: importTimeoutMs })
  }
  const showRegister = async (register: string, q = '') => {
    await openView('records')
    await page.locator(`#register-list button[data-register="${register}"]`).click()
    await page.locator('#search').fill(q)
    await page.locator('#search').press('Enter')
    await page.locator('#records[aria-busy="false"]').waitFor()
  }

  beforeAll(async () => {
    world = await loadCixiWorld()
    suite = await startPageSuite('registers-page', chromiumPath!)
    ;({ dataDir, platform, browser } = suite)
    const guardian = world.guardians[0]!
    const school = world.schools[0]!
    tokens.bureau = await platform.tokens.issue({ role: 'bureau', sub: 'bureau-admin' })
    tokens.parent = await platform.tokens.issue({
      role: 'parent',
      sub: guardian.id,
      pupilIds: guardian.pupilIds,
    })
    tokens.school = await platform.tokens.issue({
      role: 'school',
      sub: `head-of-${school.id}`,
      schoolId: school.id,
    })
    context = await browser.newContext(desk)
    page = await context.newPage()
    await openAsStaff(page, platform.httpUrl!, '/registers', tokens.bureau)
    await page.locator('#records tbody tr[data-key]').first().waitFor()
  }, 180_000)

  afterAll(async () => {
    await suite?.stop()
  })

  it('lists every register with its count, in Chinese first, the token out of the address bar', async () => {
    expect(page.url()).not.toContain('token=')
    expect(await page.locator('#title').textContent()).toBe('基础台账')
    const registers = await page
      .locator('#register-list button')
      .evaluateAll((buttons) => buttons.map((b) => (b as HTMLElement).dataset.register))
    expect(registers).toEqual([
      'towns',
      'schools',
      'bellTimes',
      'dismissalWaves',
      'stops',
      'buses',
      'staff',
      'lines',
      'trips',
      'tripCalls',
      'pupils',
      'guardians',
    ])
    const pupils = page.locator('#register-list button[data-register="pupils"] .count')
    await expect.poll(() => pupils.textContent()).toBe(String(world.pupils.length))
    await page.locator('#register-list button[data-register="pupils"]').click()
    await page.locator('#records[aria-busy="false"]').waitFor()
    expect(await page.locator('#records thead th[data-field="name"]').getAttribute('class')).toContain(
      'personal',
    )
    expect(await page.locator('#records thead th[data-field="name"] .head-main').textContent()).toBe('姓名')
    expect(await page.locator('#records thead th[data-field="name"] .head-other').textContent()).toBe('name')
    expect(await page.locator('#records tbody tr[data-key]').count()).toBe(50)
    expect(await page.locator('#page-label').textContent()).toBe(`第 1–50 条，共 ${world.pupils.length} 条`)
    await page.locator('#page-next').click()
    await expect.poll(() => page.locator('#page-label').textContent()).toContain('第 51–100 条')
    const pupil = world.pupils[7]!
    await showRegister('pupils', pupil.name)
    const keys = await page
      .locator('#records tbody tr[data-key]')
      .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.key))
    expect(keys).toContain(pupil.code)
    await showRegister('buses')
    await shot('registers-records.png')
  })

  it(
    'checks a workbook with mistakes and shows each with its sheet, row and column, refusing to apply it',
    async () => {
      const exported = new Uint8Array(await (await call('/api/registers/export.xlsx')).arrayBuffer())
      let badCode = ''
      const file = await editedWorkbook(exported, dataDir, 'registers-with-mistakes.xlsx', (workbook) => {
        const pupils = sheetNamed(workbook, '学生 pupils')
        pupils.getRow(2).getCell(columnOf(pupils, '学校代码 school')).value = 'school-nowhere'
        const code = pupils.getRow(3).getCell(columnOf(pupils, '学生编码 code'))
        badCode = wrongCheckDigit(String(code.value))
        code.value = badCode
        const guardians = sheetNamed(workbook, '监护人 guardians')
        guardians.getRow(2).getCell(columnOf(guardians, '电话 phone')).value = '12345'
        const calls = sheetNamed(workbook, '班次站点 trip_calls')
        calls.getRow(2).getCell(columnOf(calls, '到站时间 arrive')).value = '25:99'
      })
      await checkFile(file)

      const result = page.locator('#import-result')
      expect(Number(await result.getAttribute('data-errors'))).toBeGreaterThanOrEqual(4)
      expect(await result.getAttribute('data-applied')).toBe('false')
      const expected = [
        {
          code: 'unknown_reference',
          sheet: '学生 pupils',
          row: 2,
          column: '学校代码 school',
          value: 'school-nowhere',
        },
        { code: 'bad_pupil_code', sheet: '学生 pupils', row: 3, column: '学生编码 code', value: badCode },
        { code: 'bad_phone', sheet: '监护人 guardians', row: 2, column: '电话 phone', value: '12345' },
        { code: 'bad_time', sheet: '班次站点 trip_calls', row: 2, column: '到站时间 arrive', value: '25:99' },
      ]
      for (const problem of expected) {
        const row = page.locator(
          `#import-problems tbody tr[data-code="${problem.code}"][data-sheet="${problem.sheet}"]` +
            `[data-row="${problem.row}"][data-column="${problem.column}"]`,
        )
        expect(await row.count(), JSON.stringify(problem)).toBeGreaterThanOrEqual(1)
        const cells = await row.first().locator('td').allTextContents()
        expect(cells.slice(0, 5)).toEqual([
          '错误',
          problem.sheet,
          String(problem.row),
          problem.column,
          problem.value,
        ])
        expect(cells[5]).toBeTruthy()
      }
      // Errors come before warnings.
      const severities = await page
        .locator('#import-problems tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.className))
      expect(
        severities.indexOf('warning') === -1 ||
          severities.lastIndexOf('error') < severities.indexOf('warning'),
      ).toBe(true)
      expect(await page.locator('#import-apply').isDisabled()).toBe(true)
      expect(await page.locator('#import-status').textContent()).toContain('不能导入')
      await shot('registers-import-errors.png')
    },
    importTimeoutMs,
  )

  it(
    'applies the corrected workbook: one pupil renamed, one stop added, nothing else changed',
    async () => {
      const exported = new Uint8Array(await (await call('/api/registers/export.xlsx')).arrayBuffer())
      const newName = '测试改名'
      let renamed = ''
      const file = await editedWorkbook(exported, dataDir, 'registers-fixed.xlsx', (workbook) => {
        const pupils = sheetNamed(workbook, '学生 pupils')
        renamed = String(pupils.getRow(2).getCell(columnOf(pupils, '学生编码 code')).value)
        pupils.getRow(2).getCell(columnOf(pupils, '姓名 name')).value = newName
        const stops = sheetNamed(workbook, '站点 stops')
        const first = stops.getRow(2)
        const value = (header: string) => first.getCell(columnOf(stops, header)).value
        const added = stops.getRow(stops.rowCount + 1)
        added.getCell(columnOf(stops, '站点代码 code')).value = 'stop-registers-page-test'
        added.getCell(columnOf(stops, '站点名称 name')).value = '页面测试新站'
        added.getCell(columnOf(stops, '所属乡镇 town')).value = value('所属乡镇 town')
        added.getCell(columnOf(stops, '类型 kind')).value = '村居'
        added.getCell(columnOf(stops, '纬度 lat')).value = Number(value('纬度 lat')) + 0.001
        added.getCell(columnOf(stops, '经度 lon')).value = Number(value('经度 lon')) + 0.001
        added.getCell(columnOf(stops, '坐标系 datum')).value = 'WGS-84'
        added.commit()
      })
      await checkFile(file)

      const result = page.locator('#import-result')
      expect(await result.getAttribute('data-errors')).toBe('0')
      const counts = await page.locator('#import-counts tbody tr').evaluateAll((rows) =>
        rows.map((r) => {
          const data = (r as HTMLElement).dataset
          return {
            register: data.register,
            inserted: Number(data.inserted),
            updated: Number(data.updated),
            removed: Number(data.removed),
          }
        }),
      )
      expect(counts.find((c) => c.register === 'pupils')).toMatchObject({
        inserted: 0,
        updated: 1,
        removed: 0,
      })
      expect(counts.find((c) => c.register === 'stops')).toMatchObject({
        inserted: 1,
        updated: 0,
        removed: 0,
      })
      // Importing an export changes nothing else.
      const others = counts.filter((c) => c.register !== 'pupils' && c.register !== 'stops')
      expect(others.filter((c) => c.inserted + c.updated + c.removed > 0)).toEqual([])
      expect(counts).toHaveLength(12)
      expect(await page.locator('#import-apply').isEnabled()).toBe(true)
      await shot('registers-import-checked.png')

      await page.locator('#import-apply').click()
      await page.locator('#import-result[data-applied="true"]').waitFor({ timeout: importTimeoutMs })
      expect(await page.locator('#import-status').textContent()).toBe('已导入。')
      expect(await page.locator('#import-apply').isDisabled()).toBe(true)
      await shot('registers-import-applied.png')

      const found = await api<Listed<{ code: string; name: string }>>(
        `/api/registers/pupils?q=${encodeURIComponent(newName)}`,
      )
      expect(found.total).toBe(1)
      expect(found.records[0]!.record).toMatchObject({ code: renamed, name: newName })
      const stop = await api<Listed<{ code: string }>>('/api/registers/stops?q=stop-registers-page-test')
      expect(stop.total).toBe(1)
      await expect
        .poll(() => page.locator('#register-list button[data-register="stops"] .count').textContent())
        .toBe(String(world.stops.length + 1))
    },
    importTimeoutMs,
  )

  it('edits a bus’s seats in place, and shows a bad edit’s problem beside its field', async () => {
    const { records } = await api<Listed<{ plate: string; seats: number }>>('/api/registers/buses?limit=1')
    const { key: plate, record: bus } = records[0]!
    const seats = bus.seats > 20 ? bus.seats - 1 : bus.seats + 1
    await showRegister('buses', plate)
    const row = page.locator(`#records tbody tr[data-key="${plate}"]`)
    expect(await row.locator('td[data-field="seats"]').textContent()).toBe(String(bus.seats))
    await row.locator('button[data-action="edit"]').click()
    const dialog = page.locator('#record-dialog')
    await dialog.waitFor({ state: 'visible' })
    expect(await page.locator('#field-plate').inputValue()).toBe(plate)
    expect(await page.locator('#field-plate').getAttribute('readonly')).not.toBeNull()
    expect(await page.locator('#field-kind').inputValue()).toBe('校车')
    await page.locator('#field-seats').fill(String(seats))
    await page.locator('#record-save').click()
    await dialog.waitFor({ state: 'hidden' })
    expect(await page.locator('#message').textContent()).toContain(plate)
    await expect.poll(() => row.locator('td[data-field="seats"]').textContent()).toBe(String(seats))
    const saved = await api<Listed<{ seats: number }>>(`/api/registers/buses?q=${encodeURIComponent(plate)}`)
    expect(saved.records[0]!.record.seats).toBe(seats)

    await row.locator('button[data-action="edit"]').click()
    await dialog.waitFor({ state: 'visible' })
    await page.locator('#field-seats').fill('abc')
    await page.locator('#field-seats').press('Enter')
    await page.locator('#record-dialog[data-refused="true"]').waitFor()
    const problem = page.locator('#problem-seats')
    expect(await problem.isVisible()).toBe(true)
    expect(await problem.locator('.problem').getAttribute('data-code')).toBe('bad_number')
    expect(await problem.textContent()).toContain('1–99 的整数')
    expect(await page.locator('#field-seats').getAttribute('aria-invalid')).toBe('true')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-seats')
    expect(await page.locator('#record-refused').isVisible()).toBe(true)
    await shot('registers-edit-problem.png')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    const unchanged = await api<Listed<{ seats: number }>>(
      `/api/registers/buses?q=${encodeURIComponent(plate)}`,
    )
    expect(unchanged.records[0]!.record.seats).toBe(seats)
  })

  it('adds a record through the empty form, and removes one after confirming', async () => {
    const town = world.towns[0]!
    await showRegister('stops')
    await page.locator('#add-record').click()
    const dialog = page.locator('#record-dialog')
    await dialog.waitFor({ state: 'visible' })
    expect(await dialog.getAttribute('data-mode')).toBe('add')
    expect(await page.locator('#field-code').getAttribute('readonly')).toBeNull()
    await page.locator('#field-code').fill('stop-added-on-page')
    await page.locator('#field-nameZh').fill('页面新增站')
    await page.locator('#field-townCode').fill(town.id)
    await page.locator('#field-kind').fill('村居')
    await page.locator('#field-lat').fill(String(town.centre.lat))
    await page.locator('#field-lon').fill(String(town.centre.lon))
    await page.locator('#record-save').click()
    await dialog.waitFor({ state: 'hidden' })
    expect((await api<Listed<unknown>>('/api/registers/stops?q=stop-added-on-page')).total).toBe(1)

    await showRegister('stops', 'stop-added-on-page')
    await page
      .locator('#records tbody tr[data-key="stop-added-on-page"] button[data-action="remove"]')
      .click()
    const confirm = page.locator('#remove-dialog')
    await confirm.waitFor({ state: 'visible' })
    expect(await confirm.getAttribute('data-key')).toBe('stop-added-on-page')
    await page.locator('#remove-confirm').click()
    await confirm.waitFor({ state: 'hidden' })
    expect((await api<Listed<unknown>>('/api/registers/stops?q=stop-added-on-page')).total).toBe(0)
    await page.locator('#records tbody td.empty').waitFor()
  })

  it('refuses to remove a bus others still refer to, and says which', async () => {
    const { records } = await api<Listed<{ plate: string }>>('/api/registers/buses?limit=1')
    const plate = records[0]!.key
    await showRegister('buses', plate)
    await page.locator(`#records tbody tr[data-key="${plate}"] button[data-action="remove"]`).click()
    const confirm = page.locator('#remove-dialog')
    await confirm.waitFor({ state: 'visible' })
    // The confirmation opens on Cancel, so that Enter does not remove.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('remove-cancel')
    await page.locator('#remove-confirm').click()
    await page.locator('#remove-dialog[data-refused="true"]').waitFor()
    expect(
      await page.locator('#remove-problems tbody tr[data-code="still_referenced"]').count(),
    ).toBeGreaterThan(0)
    expect(await page.locator('#remove-confirm').isHidden()).toBe(true)
    await shot('registers-remove-refused.png')
    await page.locator('#remove-cancel').click()
    await confirm.waitFor({ state: 'hidden' })
    expect((await api<Listed<unknown>>(`/api/registers/buses?q=${encodeURIComponent(plate)}`)).total).toBe(1)
  })

  it('downloads the whole workbook, which opens with the pupils sheet', async () => {
    await openView('downloads')
    expect(await page.locator('#logged-note').textContent()).toContain('变更记录')
    expect(await page.locator('#csv-list button').count()).toBe(12)
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#download-workbook').click(),
    ])
    expect(download.suggestedFilename()).toBe('registers.xlsx')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load((await fs.readFile(await download.path())) as unknown as ExcelJS.Buffer)
    const pupils = sheetNamed(workbook, '学生 pupils')
    expect(pupils.rowCount).toBe(world.pupils.length + 1)
    expect(String(pupils.getRow(1).getCell(1).value)).toBe('学生编码 code')
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#csv-list button[data-register="buses"]').click(),
    ])
    expect(csv.suggestedFilename()).toBe('buses.csv')
    expect(await fs.readFile(await csv.path(), 'utf8')).toContain('车牌号 plate')
    await shot('registers-downloads.png')
  })

  it('lists the import, the edits, the removal and the exports in the change log, with who', async () => {
    await openView('changes')
    await page.locator('#changes tbody tr[data-id]').first().waitFor()
    const rows = await page.locator('#changes tbody tr[data-id]').evaluateAll((trs) =>
      trs.map((tr) => ({
        id: Number((tr as HTMLElement).dataset.id),
        action: (tr as HTMLElement).dataset.action,
        actor: tr.querySelector('.actor')?.textContent,
        summary: tr.querySelector('.summary')?.textContent ?? '',
      })),
    )
    const ids = rows.map((r) => r.id)
    expect(ids).toEqual([...ids].sort((a, b) => b - a))
    const ours = rows.filter((r) => r.actor === 'bureau-admin')
    for (const action of ['import', 'edit', 'remove', 'export'])
      expect(
        ours.some((r) => r.action === action),
        action,
      ).toBe(true)
    expect(ours.find((r) => r.action === 'import')!.summary).toContain('registers-fixed.xlsx')
    expect(ours.find((r) => r.action === 'edit' && r.summary.includes('核载人数'))).toBeDefined()
    expect(ours[0]!.action).toBe('export')
    expect(ours[0]!.summary).toContain('csv')
    const logged = await api<{ changes: Change[] }>('/api/registers/changes?limit=50')
    expect(ids).toEqual(logged.changes.map((c) => c.id))
    await shot('registers-changes.png')

    await page.locator('#language').click()
    expect(await page.locator('#title').textContent()).toBe('Registers')
    expect(await page.locator('#changes thead th').first().textContent()).toBe('When')
    await shot('registers-changes-en.png')
    await page.locator('#language').click()
    expect(await page.locator('#title').textContent()).toBe('基础台账')
  })

  it('pages back through a long change log', async () => {
    for (let i = 0; i < 55; i++) expect((await call('/api/registers/towns.csv')).status).toBe(200)
    // The page reads the log again after its own changes; these were made elsewhere.
    await page.reload()
    await openView('changes')
    await page.locator('#changes tbody tr[data-id]').first().waitFor()
    await page.locator('#changes-more').waitFor({ state: 'visible' })
    expect(await page.locator('#changes tbody tr[data-id]').count()).toBe(50)
    await page.locator('#changes-more').click()
    await expect.poll(() => page.locator('#changes tbody tr[data-id]').count()).toBeGreaterThan(50)
    const ids = await page
      .locator('#changes tbody tr[data-id]')
      .evaluateAll((trs) => trs.map((tr) => Number((tr as HTMLElement).dataset.id)))
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toEqual([...ids].sort((a, b) => b - a))
    const all = await api<{ changes: Change[] }>('/api/registers/changes?limit=500')
    expect(ids).toEqual(all.changes.map((c) => c.id))
    expect(await page.locator('#changes-more').isHidden()).toBe(true)
  })

  it('works at phone width', async () => {
    const small = await browser.newContext({ ...phone, acceptDownloads: true })
    const other = await small.newPage()
    await openAsStaff(other, platform.httpUrl!, '/registers', tokens.bureau)
    await other.locator('#records tbody tr[data-key]').first().waitFor()
    const width = await other.evaluate(() => document.documentElement.scrollWidth)
    expect(width).toBeLessThanOrEqual(390)
    await shot('registers-phone.png', other)
    await other.locator('#records tbody tr[data-key] button[data-action="edit"]').first().click()
    await other.locator('#record-dialog').waitFor({ state: 'visible' })
    await other.screenshot({ path: path.join(artifactsDir, 'registers-phone-edit.png') })
    await small.close()
  })

  it('shows a parent’s link the forbidden message', async () => {
    const other = await (await browser.newContext(desk)).newPage()
    await openAsStaff(other, platform.httpUrl!, '/registers', tokens.parent)
    const errorPage = other.locator('#error-page')
    await errorPage.waitFor({ state: 'visible' })
    expect(await errorPage.getAttribute('data-kind')).toBe('forbidden')
    expect(await other.locator('#page').isHidden()).toBe(true)
    expect(await other.locator('#error-title').textContent()).toBe('没有权限')
    await other.screenshot({ path: path.join(artifactsDir, 'registers-refused.png') })
    await other.context().close()
  })

  it('shows a school its own pupils only, with no change log and no removal on import', async () => {
    const school = world.schools[0]!
    const own = world.pupils.filter((pupil) => pupil.schoolId === school.id)
    const other = await (await browser.newContext(desk)).newPage()
    await openAsStaff(other, platform.httpUrl!, '/registers', tokens.school)
    await other.locator('#records tbody tr[data-key]').first().waitFor()
    const registers = await other
      .locator('#register-list button')
      .evaluateAll((buttons) => buttons.map((b) => (b as HTMLElement).dataset.register))
    expect(registers).toEqual(['pupils'])
    await expect
      .poll(() => other.locator('#register-list button[data-register="pupils"] .count').textContent())
      .toBe(String(own.length))
    const schools = await other.locator('#records tbody td[data-field="schoolCode"]').allTextContents()
    expect(schools.length).toBe(Math.min(50, own.length))
    expect(new Set(schools)).toEqual(new Set([school.id]))
    expect(await other.locator('#views button[data-view="changes"]').isHidden()).toBe(true)
    await other.locator('#views button[data-view="import"]').click()
    expect(await other.locator('#import-remove-field').isHidden()).toBe(true)
    await other.locator('#views button[data-view="downloads"]').click()
    expect(await other.locator('#csv-list').isHidden()).toBe(true)
    await other.locator('#views button[data-view="records"]').click()
    await other.screenshot({ path: path.join(artifactsDir, 'registers-school.png'), fullPage: true })
    await other.context().close()
  })

  it('blocked nothing under the pages’ content security policy', () => {
    expect(contentSecurityViolations(browser)).toEqual([])
  })
})
