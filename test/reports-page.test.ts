import { randomUUID } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import ExcelJS from 'exceljs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { haversineM } from '../geo/routing/earth-distance.js'
import { fromShanghaiTime } from '../server/core/clock/shanghai-time.js'
import { refreshReportDay } from '../server/core/reports/refresh-report-days.js'
import { encodeCopyText, type CopyValue } from '../server/core/store/copy-text.js'
import { createReportDayQueries } from '../server/core/store/report-day-queries.js'
import type { Platform } from '../server/start-platform.js'
import { contentSecurityViolations, testChromiumPath } from './support/browser.js'
import { artifactsDir, startPageSuite, type PageSuite } from './support/page-suite.js'
import { openAsStaff } from './support/staff-session.js'

/**
 * The reports and compliance page in headless Chromium against the whole platform on the demo
 * world, its clock on Wednesday 2026-03-04: two buses' Monday morning trips written into the store
 * (positions, stop arrivals, an over-speed, a limiter switched off, pupils' scans) and aggregated by
 * the store's own day refresh; one bus's insurance run out, the other's running out within the week. The bureau reads the day by bus as a
 * table and charts, sorts it, turns to the month for the county, downloads the workbook and the CSV,
 * and finds the red finding in the compliance register; a school sees its own rows and groupings;
 * a parent's session is refused; the page keeps within its content security policy.
 */
const chromiumPath = testChromiumPath()
const monday = '2026-03-02'
const month = monday.slice(0, 7)
const serverNow = fromShanghaiTime('2026-03-04', '10:00:00')
const desk = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true }

interface ReportAnswer {
  columns: { key: string; zh: string; en: string; type: string }[]
  rows: Record<string, string | number | null>[]
  totals: Record<string, string | number | null>
}
interface ComplianceAnswer {
  findings: { subject: string; key: string; rule: string; level: string }[]
}
type TripStop = {
  seq: number
  stop_id: string
  arrive_time: string
  depart_time: string
  lat: number
  lon: number
}
interface Trip {
  id: string
  bus_id: string
  school_id: string
  plate: string
  stops: TripStop[]
}

const at = (time: string, lateMin = 0) =>
  new Date(fromShanghaiTime(monday, time).getTime() + lateMin * 60_000)

/**
 * A trip run on Monday `lateMin` minutes behind its timetable: a fix every 2 s, standing at each
 * stop and driving straight between them; an arrival at each stop; its pupils scanned on at the
 * first stop and off at the school gate (the last stop of a trip to school).
 */
function runTrip(trip: Trip, pupilIds: readonly string[], lateMin: number) {
  const positions: CopyValue[][] = []
  const events: CopyValue[][] = []
  const scans: CopyValue[][] = []
  let drivenM = 0
  const fix = (ms: number, lat: number, lon: number, speedKmh: number) =>
    positions.push([trip.bus_id, new Date(ms), lat, lon, speedKmh])
  trip.stops.forEach((stop, i) => {
    const arrive = at(stop.arrive_time, lateMin).getTime()
    const depart = Math.max(at(stop.depart_time, lateMin).getTime(), arrive + 30_000)
    for (let ms = arrive; ms < depart; ms += 2000) fix(ms, stop.lat, stop.lon, 0)
    events.push([
      trip.bus_id,
      'stop_arrival',
      new Date(arrive),
      trip.id,
      JSON.stringify({ stopId: stop.stop_id, seq: stop.seq, confirmedTs: new Date(arrive).toISOString() }),
    ])
    const next = trip.stops[i + 1]
    if (!next) return
    const nextArrive = at(next.arrive_time, lateMin).getTime()
    const legM = haversineM(stop.lat, stop.lon, next.lat, next.lon)
    drivenM += legM
    const speedKmh = Math.max(15, (legM / Math.max(1, (nextArrive - depart) / 1000)) * 3.6)
    for (let ms = depart; ms < nextArrive; ms += 2000) {
      const f = (ms - depart) / (nextArrive - depart)
      fix(ms, stop.lat + (next.lat - stop.lat) * f, stop.lon + (next.lon - stop.lon) * f, speedKmh)
    }
  })
  const first = trip.stops[0]!
  const gate = trip.stops.at(-1)!
  for (const pupilId of pupilIds) {
    const on = at(first.depart_time, lateMin)
    const off = at(gate.arrive_time, lateMin)
    scans.push([randomUUID(), trip.id, monday, pupilId, 'boarded', first.stop_id, on, 'attendant'])
    scans.push([randomUUID(), trip.id, monday, pupilId, 'alighted', gate.stop_id, off, 'attendant'])
  }
  return { positions, events, scans, drivenM }
}

describe.skipIf(!chromiumPath)('the reports and compliance page in Chromium', () => {
  let suite: PageSuite | undefined
  let platform: Platform
  let browser: Browser
  let page: Page
  let origin: string
  /** Bus A runs on time with an over-speed, bus B ten minutes late with its limiter off. */
  let tripA: Trip
  let tripB: Trip
  const tokens = { bureau: '', school: '', parent: '' }

  const api = async <T>(apiPath: string, token = tokens.bureau): Promise<T> => {
    const response = await fetch(`${origin}${apiPath}`, { headers: { authorization: `Bearer ${token}` } })
    expect(response.status, `${apiPath}: ${await response.clone().text()}`).toBe(200)
    return (await response.json()) as T
  }
  const shot = (name: string, on: Page = page) =>
    on.screenshot({ path: path.join(artifactsDir, name), fullPage: true })
  const reportReady = (on: Page = page) => on.locator('#report-table[aria-busy="false"]').waitFor()
  const rowIds = (on: Page = page) =>
    on
      .locator('#report-table tbody tr[data-id]')
      .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.id))
  const cellText = (on: Page, rowId: string, key: string) =>
    on.locator(`#report-table tbody tr[data-id="${rowId}"] td[data-key="${key}"]`).textContent()
  /** A figure as the page writes it in Chinese: one decimal at most, grouped by thousands. */
  const zhNumber = (value: string | number | null | undefined) =>
    typeof value === 'number'
      ? new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 }).format(value)
      : '—'

  beforeAll(async () => {
    // The server's clock on the Wednesday, at the real pace: Monday is two days closed.
    const offsetMs = serverNow.getTime() - Date.now()
    suite = await startPageSuite('reports-page', chromiumPath!, {
      clock: { now: () => new Date(Date.now() + offsetMs) },
    })
    ;({ platform, browser } = suite)
    origin = platform.httpUrl!
    const { db } = platform

    // Two Monday trips to school of different buses and schools, in different towns where the demo has them.
    const trips = await db.query<{
      id: string
      bus_id: string
      school_id: string
      town_id: string
      plate: string
    }>(
      `SELECT t.id, t.bus_id, t.school_id, b.town_id, b.plate FROM trips t JOIN buses b ON b.id = t.bus_id
       WHERE t.direction = 'to_school' AND 1 = ANY (t.weekdays) ORDER BY t.id`,
    )
    const first = trips[0]!
    const second =
      trips.find(
        (t) => t.bus_id !== first.bus_id && t.school_id !== first.school_id && t.town_id !== first.town_id,
      ) ?? trips.find((t) => t.bus_id !== first.bus_id && t.school_id !== first.school_id)!
    const withStops = async (trip: typeof first): Promise<Trip> => ({
      ...trip,
      stops: await db.query<TripStop>(
        `SELECT s.seq, s.stop_id, s.arrive_time::text AS arrive_time, s.depart_time::text AS depart_time,
                st.lat, st.lon
         FROM trip_stops s JOIN stops st ON st.id = s.stop_id WHERE s.trip_id = $1 ORDER BY s.seq`,
        [trip.id],
      ),
    })
    ;[tripA, tripB] = [await withStops(first), await withStops(second)]
    const pupilsOf = async (schoolId: string, n: number) =>
      (
        await db.query<{ id: string }>(`SELECT id FROM pupils WHERE school_id = $1 ORDER BY id LIMIT $2`, [
          schoolId,
          n,
        ])
      ).map((p) => p.id)
    const runA = runTrip(tripA, await pupilsOf(tripA.school_id, 5), 0)
    const runB = runTrip(tripB, await pupilsOf(tripB.school_id, 3), 10)
    expect(runA.drivenM).toBeGreaterThan(500)
    // Both well inside the first leg's driving, while the buses report.
    const startA = at(tripA.stops[0]!.depart_time).getTime() + 60_000
    const startB = at(tripB.stops[0]!.depart_time, 10).getTime() + 30_000
    const overSpeed = [
      tripA.bus_id,
      'over_speed',
      new Date(startA),
      tripA.id,
      JSON.stringify({ roadClass: 'primary', durationS: 20, endTs: new Date(startA + 20_000).toISOString() }),
    ]
    const limiterOff = [
      tripB.bus_id,
      'limiter_disabled',
      new Date(startB),
      tripB.id,
      JSON.stringify({ state: 'disabled', durationS: 180, endTs: new Date(startB + 180_000).toISOString() }),
    ]
    await db.copyFrom(
      `COPY positions (bus_id, ts, lat, lon, speed_kmh) FROM STDIN`,
      encodeCopyText([...runA.positions, ...runB.positions]),
    )
    await db.copyFrom(
      `COPY events (bus_id, kind, ts, trip_id, details) FROM STDIN`,
      encodeCopyText([...runA.events, ...runB.events, overSpeed, limiterOff]),
    )
    await db.copyFrom(
      `COPY boarding_events (id, trip_id, service_date, pupil_id, action, stop_id, scanned_at, recorded_by) FROM STDIN`,
      encodeCopyText([...runA.scans, ...runB.scans]),
    )
    // Bus A's insurance ran out on the Friday before: red in the register, and beside it in the reports.
    await db.query(`UPDATE buses SET insurance_until = '2026-02-27' WHERE id = $1`, [tripA.bus_id])
    // Bus B's runs out on the Monday after: amber, five days ahead.
    await db.query(`UPDATE buses SET insurance_until = '2026-03-09' WHERE id = $1`, [tripB.bus_id])
    await refreshReportDay(createReportDayQueries(db), monday, serverNow)

    tokens.bureau = await platform.tokens.issue({ role: 'bureau', sub: 'bureau-reports' })
    tokens.school = await platform.tokens.issue({
      role: 'school',
      sub: `head-of-${tripA.school_id}`,
      schoolId: tripA.school_id,
    })
    const guardian = (
      await db.query<{ id: string; pupil_id: string }>(
        `SELECT guardian_id AS id, pupil_id FROM pupil_guardians ORDER BY guardian_id LIMIT 1`,
      )
    )[0]!
    tokens.parent = await platform.tokens.issue({
      role: 'parent',
      sub: guardian.id,
      pupilIds: [guardian.pupil_id],
    })
    page = await (await browser.newContext(desk)).newPage()
    await openAsStaff(page, origin, '/reports', tokens.bureau)
    await page.locator('#page[data-ready="true"]').waitFor({ timeout: 60_000 })
  }, 240_000)

  afterAll(async () => {
    await suite?.stop()
  })

  it('opens on yesterday by bus, in Chinese, the session out of the address', async () => {
    expect(page.url()).not.toContain('token')
    expect(await page.locator('#title').textContent()).toBe('报表与合规')
    expect(await page.locator('#report-day').inputValue()).toBe('2026-03-03')
    expect(await page.locator('#report-by').inputValue()).toBe('bus')
    const options = await page
      .locator('#report-by option')
      .evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value))
    expect(options).toEqual(['bus', 'driver', 'school', 'town', 'county'])
  })

  it("shows the bureau Monday's rows by bus, with the totals, the standing and the charts", async () => {
    await page.locator('#report-day').fill(monday)
    await expect.poll(() => rowIds()).toContain(tripA.bus_id)
    await reportReady()
    const report = await api<ReportAnswer>(`/api/reports?period=day&date=${monday}&by=bus`)
    expect(report.rows.map((row) => row.id)).toEqual([tripA.bus_id, tripB.bus_id].sort())
    expect(await rowIds()).toEqual(report.rows.map((row) => row.id))
    const rowA = report.rows.find((row) => row.id === tripA.bus_id)!
    const rowB = report.rows.find((row) => row.id === tripB.bus_id)!
    expect(rowA).toMatchObject({ tripsRun: 1, schoolCallsOnTime: 1, overSpeedEpisodes: 1, pupilsCarried: 5 })
    expect(rowB).toMatchObject({ tripsRun: 1, schoolCallsLate: 1, limiterOffMinutes: 3, pupilsCarried: 3 })
    for (const key of [
      'tripsRun',
      'km',
      'onTimeRate',
      'overSpeedEpisodes',
      'limiterOffMinutes',
      'pupilsCarried',
    ]) {
      expect(await cellText(page, tripA.bus_id, key), key).toBe(zhNumber(rowA[key]))
      expect(await cellText(page, tripB.bus_id, key), key).toBe(zhNumber(rowB[key]))
    }
    // Headers in the page's words, the name column by plate, the totals below.
    expect(await page.locator('#report-table thead th[data-key="tripsRun"]').textContent()).toBe('运行趟次')
    expect(await page.locator('#report-table thead th[data-key="name"]').textContent()).toBe('车牌')
    expect(await page.locator('#report-table tfoot th').textContent()).toBe('合计')
    expect(await page.locator('#report-table tfoot td[data-key="pupilsCarried"]').textContent()).toBe('8')
    expect(await page.locator('#report-table tfoot td[data-key="km"]').textContent()).toBe(
      zhNumber(report.totals.km),
    )
    // Bus A's insurance ran out: said in words beside its plate, not by colour alone.
    const standing = page.locator(`#report-table tbody tr[data-id="${tripA.bus_id}"] .standing.red`)
    expect(await standing.textContent()).toBe('不合规')
    const dueSoon = page.locator(`#report-table tbody tr[data-id="${tripB.bus_id}"] .standing.amber`)
    expect(await dueSoon.textContent()).toBe('即将到期')
    expect(await page.locator('#standing-note').isVisible()).toBe(true)
    // The breakdowns by kind appear on asking.
    expect(await page.locator('#report-table thead th[data-key="overSpeed.primary"]').count()).toBe(0)
    await page.locator('#report-breakdowns').check()
    expect(await page.locator('#report-table thead th[data-key="overSpeed.primary"]').textContent()).toBe(
      '超速·主干道',
    )
    expect(await cellText(page, tripA.bus_id, 'overSpeed.primary')).toBe('1')

    // The charts: a bar per bus with its value in words, the on-time target, the alarms stacked by kind.
    const km = page.locator('figure[data-chart="km"]')
    expect(await km.locator('figcaption').textContent()).toBe('里程（公里）')
    expect(await km.locator('svg rect.bar').count()).toBe(2)
    const kmDesc = (await km.locator('svg desc').textContent()) ?? ''
    expect(kmDesc).toContain(`${tripA.plate}：${zhNumber(rowA.km)}`)
    expect(await km.locator('svg').getAttribute('role')).toBe('img')
    const onTime = page.locator('figure[data-chart="onTime"]')
    expect(await onTime.locator('svg line.target').count()).toBe(1)
    expect(await onTime.locator('svg .target-label').textContent()).toBe('目标 95%')
    expect(await onTime.locator('svg desc').textContent()).toContain(`${tripA.plate}：100`)
    const alarms = page.locator('figure[data-chart="alarms"]')
    const legend = await alarms.locator('.legend li').allTextContents()
    expect(legend.map((item) => item.trim())).toEqual(expect.arrayContaining(['超速 (1)', '限速器关闭 (1)']))
    await shot('reports-day-by-bus.png')
  })

  it('sorts by a column, the totals staying below', async () => {
    const kms = async () =>
      (await page.locator('#report-table tbody td[data-key="km"]').allTextContents()).map((t) =>
        Number(t.replace(/,/g, '')),
      )
    await page.locator('#report-table thead th[data-key="km"] button').click()
    expect(await page.locator('#report-table thead th[data-key="km"]').getAttribute('aria-sort')).toBe(
      'descending',
    )
    const down = await kms()
    expect(down).toEqual([...down].sort((a, b) => b - a))
    await page.locator('#report-table thead th[data-key="km"] button').click()
    expect(await page.locator('#report-table thead th[data-key="km"]').getAttribute('aria-sort')).toBe(
      'ascending',
    )
    expect(await kms()).toEqual([...down].reverse())
    expect(await page.locator('#report-table tfoot th').textContent()).toBe('合计')
  })

  it('turns to the month for the county, kept in the address', async () => {
    await page.locator('#report-period').selectOption('month')
    await page.locator('#report-month').waitFor({ state: 'visible' })
    expect(await page.locator('#report-month').inputValue()).toBe(month)
    await page.locator('#report-by').selectOption('county')
    await expect.poll(() => page.locator('#report-table').getAttribute('data-by')).toBe('county')
    await reportReady()
    const county = await api<ReportAnswer>(`/api/reports?period=month&date=${month}&by=county`)
    expect(county.rows[0]).toMatchObject({ tripsRun: 2, pupilsCarried: 8, overSpeedEpisodes: 1 })
    expect(await page.locator('#report-table tbody tr').count()).toBe(1)
    expect(await page.locator('#report-table tbody td.name').textContent()).toBe('全县')
    expect(await page.locator('#report-table tbody td[data-key="tripsRun"]').textContent()).toBe('2')
    expect(await page.locator('#report-table tbody td[data-key="km"]').textContent()).toBe(
      zhNumber(county.rows[0]!.km),
    )
    expect(await page.locator('#report-title').textContent()).toBe(`${month} 月报 · 全县`)
    expect(new URL(page.url()).searchParams.get('by')).toBe('county')
    await page.reload()
    await page.locator('#page[data-ready="true"]').waitFor()
    expect(await page.locator('#report-period').inputValue()).toBe('month')
    expect(await page.locator('#report-by').inputValue()).toBe('county')
    await shot('reports-month-county.png')
  })

  it('downloads the month as a workbook that opens with its rows, and as CSV, both logged', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#report-xlsx').click(),
    ])
    expect(download.suggestedFilename()).toBe(`report-${month}.xlsx`)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load((await fs.readFile((await download.path())!)) as unknown as ExcelJS.Buffer)
    expect(workbook.worksheets.map((sheet) => sheet.name)).toContain('按车辆 by bus')
    const buses = workbook.getWorksheet('按车辆 by bus')!
    const ids: unknown[] = []
    buses.eachRow((row, n) => {
      if (n > 1) ids.push(row.getCell(1).value)
    })
    // Both buses, then the totals row (no id).
    expect(ids.slice(0, -1)).toEqual([tripA.bus_id, tripB.bus_id].sort())
    const county = workbook.getWorksheet('按全县 by county')!
    const headers = (county.getRow(1).values as unknown[]).slice(1)
    const trips = headers.indexOf('运行趟次 trips run') + 1
    expect(trips).toBeGreaterThan(0)
    expect(county.getRow(2).getCell(trips).value).toBe(2)
    await expect.poll(() => page.locator('#report-status').textContent()).toBe(`已下载 report-${month}.xlsx`)

    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('#report-csv').click()])
    expect(csv.suggestedFilename()).toBe(`report-${month}-by-county.csv`)
    const bytes = await fs.readFile((await csv.path())!)
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(bytes.toString('utf8')).toContain('运行趟次 trips run')
    const logged = await platform.db.query<{ target: string }>(
      `SELECT target FROM audit_log WHERE action = 'export' AND actor = 'bureau-reports' ORDER BY id`,
    )
    expect(logged.map((entry) => entry.target)).toEqual(['reports.xlsx', 'reports.csv'])
  })

  it('lists the red finding in the compliance register, filtered by level and subject', async () => {
    await page.locator('#views button[data-view="compliance"]').click()
    await page.locator('#view-compliance').waitFor({ state: 'visible' })
    await page.locator('#findings[aria-busy="false"]').waitFor()
    expect(await page.locator('#view-compliance h2').textContent()).toBe('合规台账')
    expect(await page.locator('#compliance-csv').textContent()).toBe('下载 CSV')
    const register = await api<ComplianceAnswer>('/api/compliance')
    const red = page.locator(`#findings tbody tr[data-key="${tripA.plate}"][data-rule="insurance_expired"]`)
    expect(await red.getAttribute('data-level')).toBe('red')
    expect(await red.locator('td.level-cell').textContent()).toBe('红色：不合规')
    expect(await red.locator('td.rule').textContent()).toBe('保险已过期')
    expect(await red.locator('td.date').textContent()).toBe('2026-02-27')
    expect(await red.locator('td.days').textContent()).toBe('已过期 5 天')
    expect(await page.locator('#findings tbody tr[data-level]').count()).toBe(register.findings.length)
    const reds = register.findings.filter((finding) => finding.level === 'red').length
    expect(await page.locator('#compliance-counts li[data-level="red"]').textContent()).toBe(
      `红色：不合规 · ${reds} 项`,
    )
    const amber = page.locator(
      `#findings tbody tr[data-key="${tripB.plate}"][data-rule="insurance_expiring"]`,
    )
    expect(await amber.getAttribute('data-level')).toBe('amber')
    expect(await amber.locator('td.level-cell').textContent()).toBe('黄色：7天内到期')
    expect(await amber.locator('td.days').textContent()).toBe('还剩 5 天')
    await page.locator('#compliance-level').selectOption('red')
    expect(await amber.count()).toBe(0)
    const levels = await page
      .locator('#findings tbody tr[data-level]')
      .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.level))
    expect(levels.length).toBe(reds)
    expect(new Set(levels)).toEqual(new Set(['red']))
    await page.locator('#compliance-subject').selectOption('driver')
    expect(await red.count()).toBe(0)
    await page.locator('#compliance-subject').selectOption('bus')
    expect(await red.count()).toBe(1)
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#compliance-xlsx').click(),
    ])
    expect(download.suggestedFilename()).toBe('compliance-2026-03-04.xlsx')
    await page.locator('#compliance-level').selectOption('all')
    await page.locator('#compliance-subject').selectOption('all')
    await shot('reports-compliance.png')
  })

  for (const lang of ['zh', 'en'] as const) {
    for (const width of [1280, 768]) {
      it(`reads in ${lang} at ${width} px, nothing wider than the screen`, async () => {
        const context = await browser.newContext({
          ...desk,
          viewport: { width, height: 1000 },
          locale: lang === 'zh' ? 'zh-CN' : 'en-GB',
        })
        const other = await context.newPage()
        await openAsStaff(other, origin, `/reports?period=day&date=${monday}&by=bus`, tokens.bureau)
        await other.locator('#page[data-ready="true"]').waitFor()
        expect(await other.locator('html').getAttribute('lang')).toBe(lang === 'zh' ? 'zh-CN' : 'en')
        expect(await other.locator('#title').textContent()).toBe(
          lang === 'zh' ? '报表与合规' : 'Reports and compliance',
        )
        expect(await other.locator('#report-table thead th[data-key="tripsRun"]').textContent()).toBe(
          lang === 'zh' ? '运行趟次' : 'Trips run',
        )
        expect(await other.locator('figure[data-chart="trips"] figcaption').textContent()).toBe(
          lang === 'zh' ? '运行趟次' : 'Trips run',
        )
        expect(await other.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
        await shot(`reports-${lang}-${width}.png`, other)
        await other.locator('#views button[data-view="compliance"]').click()
        await other.locator('#findings[aria-busy="false"] tbody tr[data-level]').first().waitFor()
        expect(
          await other
            .locator(`#findings tbody tr[data-key="${tripA.plate}"] td.level-cell`)
            .first()
            .textContent(),
        ).toBe(lang === 'zh' ? '红色：不合规' : 'Red: out of compliance')
        expect(await other.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
        await shot(`reports-compliance-${lang}-${width}.png`, other)
        await context.close()
      })
    }
  }

  it('switches language in place', async () => {
    await page.locator('#views button[data-view="reports"]').click()
    await page.locator('#language').click()
    expect(await page.locator('#title').textContent()).toBe('Reports and compliance')
    expect(await page.locator('#report-table thead th[data-key="tripsRun"]').textContent()).toBe('Trips run')
    expect(await page.locator('#report-table tbody td.name').textContent()).toBe('The county')
    await page.locator('#language').click()
    expect(await page.locator('#title').textContent()).toBe('报表与合规')
  })

  it('shows a school its own rows, and no town or county grouping', async () => {
    const context = await browser.newContext(desk)
    const school = await context.newPage()
    await openAsStaff(school, origin, `/reports?period=day&date=${monday}&by=county`, tokens.school)
    await school.locator('#page[data-ready="true"]').waitFor()
    const options = await school
      .locator('#report-by option')
      .evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value))
    expect(options).toEqual(['bus', 'driver', 'school'])
    // The county it may not see falls back to its buses.
    expect(await school.locator('#report-by').inputValue()).toBe('bus')
    await reportReady(school)
    const own = await api<ReportAnswer>(`/api/reports?period=day&date=${monday}&by=bus`, tokens.school)
    expect(own.rows.map((row) => row.id)).toContain(tripA.bus_id)
    expect(await rowIds(school)).toEqual(own.rows.map((row) => row.id))
    await school.locator('#report-by').selectOption('school')
    await expect.poll(() => school.locator('#report-table').getAttribute('data-by')).toBe('school')
    await reportReady(school)
    expect(await rowIds(school)).toEqual([tripA.school_id])
    expect(await cellText(school, tripA.school_id, 'pupilsCarried')).toBe('5')
    await shot('reports-school.png', school)
    await school.locator('#views button[data-view="compliance"]').click()
    await school.locator('#findings[aria-busy="false"] tbody tr[data-level]').first().waitFor()
    const plates = await school.locator('#findings tbody tr[data-level] td.bus').allTextContents()
    const register = await api<ComplianceAnswer & { buses: { plate: string }[] }>(
      '/api/compliance',
      tokens.school,
    )
    const visible = new Set(register.buses.map((bus) => bus.plate))
    expect(plates.every((plate) => plate === '—' || visible.has(plate))).toBe(true)
    expect(
      await school
        .locator(`#findings tbody tr[data-key="${tripA.plate}"][data-rule="insurance_expired"]`)
        .count(),
    ).toBe(1)
    await context.close()
  })

  it('shows a parent’s session the forbidden message', async () => {
    const context = await browser.newContext(desk)
    const other = await context.newPage()
    await openAsStaff(other, origin, '/reports', tokens.parent)
    await other.locator('#error-page').waitFor({ state: 'visible' })
    expect(await other.locator('#error-page').getAttribute('data-kind')).toBe('forbidden')
    expect(await other.locator('#page').isHidden()).toBe(true)
    await context.close()
  })

  it('blocked nothing under the pages’ content security policy', () => {
    expect(contentSecurityViolations(browser)).toEqual([])
  })
})
