import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fromShanghaiTime } from '../server/core/clock/shanghai-time.js'
import { createScoring } from '../server/core/score/score-alarm-events.js'
import type { Platform } from '../server/start-platform.js'
import { reportsText } from '../web/reports/reports-text.js'
import { writeDerivedEvents } from '../workers/events/write-derived-events.js'
import { limiterOffEvent, overSpeedEvent } from './support/scored-events.js'
import { contentSecurityViolations, testChromiumPath } from './support/browser.js'
import { artifactsDir, startPageSuite, type PageSuite } from './support/page-suite.js'
import { openAsStaff } from './support/staff-session.js'

/**
 * The score tab of the reports page in headless Chromium against the whole platform on the demo
 * world, its clock on Wednesday 2026-03-04: on the Monday one bus went over its limit twice and
 * switched its limiter off (its driver's 6 points reach the interview), and a child was left on
 * another bus (its driver's 12 points remove them from school-bus duty). The bureau reads the board,
 * highest first, the removed driver red; opens a driver's history in place, every point with its
 * event, rule and case, a voided one struck through; reads the score table; reinstates the removed
 * driver with a note, and a page still showing the removal is refused in its words. A school sees its
 * buses' drivers and no reinstate action. Both languages fit a desk and a tablet.
 */
const chromiumPath = testChromiumPath()
const monday = '2026-03-02'
const serverNow = fromShanghaiTime('2026-03-04', '10:00:00')
const desk = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' }
const zh = reportsText.zh.scores

type Crew = {
  busId: string
  plate: string
  operator: string
  driverId: string
  driverName: string
  tripId: string
  schoolId: string
}
interface BoardAnswer {
  scores: { subject: string; key: string; total: number; removed: boolean | null }[]
}

const at = (time: string) => fromShanghaiTime(monday, time)

describe.skipIf(!chromiumPath)('the score tab of the reports page in Chromium', () => {
  let suite: PageSuite | undefined
  let platform: Platform
  let browser: Browser
  let page: Page
  let origin: string
  /** A's driver has 6 points; B's was removed at 12. */
  let crewA: Crew
  let crewB: Crew
  const tokens = { bureau: '', school: '' }
  // The server's clock on the Wednesday, at the real pace.
  const offsetMs = serverNow.getTime() - Date.now()
  const clock = { now: () => new Date(Date.now() + offsetMs) }
  const note = '已完成安全再培训，经教育局审核同意恢复。'

  const api = async <T>(apiPath: string, token = tokens.bureau, body?: unknown): Promise<T> => {
    const response = await fetch(`${origin}${apiPath}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    expect(response.status, `${apiPath}: ${await response.clone().text()}`).toBe(200)
    return (await response.json()) as T
  }
  const shot = (name: string, on: Page = page) =>
    on.screenshot({ path: path.join(artifactsDir, name), fullPage: true })
  const boardReady = (on: Page = page) =>
    on.locator('#score-board[aria-busy="false"] tr.score-row').first().waitFor()
  const boardRow = (on: Page, crew: Crew) =>
    on.locator(`#score-board tr.score-row[data-subject="driver"][data-key="${crew.driverId}"]`)
  const openHistory = async (on: Page, crew: Crew) => {
    await boardRow(on, crew).locator('button.subject-link').click()
    await on.locator('#score-history[aria-busy="false"]').waitFor()
  }
  const openScores = async (token: string, options = desk) => {
    const other = await (await browser.newContext(options)).newPage()
    await openAsStaff(other, origin, '/reports?tab=scores', token)
    await other.locator('#page[data-ready="true"]').waitFor({ timeout: 60_000 })
    await boardReady(other)
    return other
  }
  const caseOf = async (busId: string, kind: string, ts: Date) =>
    (
      await platform.db.query<{ id: number }>(
        `SELECT id::int AS id FROM alarm_cases WHERE bus_id = $1 AND kind = $2 AND event_ts = $3`,
        [busId, kind, ts.toISOString()],
      )
    )[0]!.id

  beforeAll(async () => {
    suite = await startPageSuite('score-page', chromiumPath!, { clock })
    ;({ platform, browser } = suite)
    origin = platform.httpUrl!
    const { db } = platform

    // Two buses of different companies, each with one driver and a Monday trip.
    const crews = await db.query<Crew>(
      `SELECT b.id AS "busId", b.plate, b.operator, s.id AS "driverId", s.name AS "driverName",
              t.id AS "tripId", t.school_id AS "schoolId"
       FROM buses b
       JOIN staff s ON s.bus_id = b.id AND s.role = 'driver'
       JOIN LATERAL (SELECT id, school_id FROM trips WHERE bus_id = b.id AND 1 = ANY (weekdays)
                     ORDER BY id LIMIT 1) t ON true
       WHERE (SELECT count(*) FROM staff x WHERE x.bus_id = b.id AND x.role = 'driver') = 1
       ORDER BY b.id`,
    )
    crewA = crews[0]!
    crewB = crews.find((crew) => crew.operator !== crewA.operator && crew.schoolId !== crewA.schoolId)!
    expect(crewB).toBeDefined()

    const eventAt = (time: string) => ({ busId: crewA.busId, tripId: crewA.tripId, ts: at(time) })
    // 64 and 75 on a 60 road (1 and 2 points), the limiter off (3): 6, an interview.
    await writeDerivedEvents(db, [
      overSpeedEvent(eventAt('07:10:00'), 64),
      overSpeedEvent(eventAt('07:20:00'), 75),
      limiterOffEvent(eventAt('07:25:00')),
    ])
    // A child left on bus B: 12 points at once, removal.
    await db.query(
      `INSERT INTO events (bus_id, kind, ts, trip_id, details) VALUES ($1, 'child_left_on_bus', $2, NULL, $3)`,
      [
        crewB.busId,
        at('16:30:00').toISOString(),
        JSON.stringify({
          reason: 'trip_ended',
          serviceDate: monday,
          schoolId: crewB.schoolId,
          pupils: [],
          contacts: [],
        }),
      ],
    )
    // Scored now rather than at the alarms part's next step; the two take turns on the store.
    await createScoring({ db, clock }).step()

    tokens.bureau = await platform.tokens.issue({ role: 'bureau', sub: 'bureau-scores' })
    tokens.school = await platform.tokens.issue({
      role: 'school',
      sub: `head-of-${crewB.schoolId}`,
      schoolId: crewB.schoolId,
    })
    page = await openScores(tokens.bureau)
  }, 240_000)

  afterAll(async () => {
    await suite?.stop()
  })

  it('shows the bureau the board highest first, the steps in words, the removed driver red', async () => {
    expect(page.url()).not.toContain('token')
    expect(await page.locator('#views button[data-view="scores"]').getAttribute('aria-current')).toBe('page')
    const board = await api<BoardAnswer>('/api/scores')
    const keys = await page
      .locator('#score-board tr.score-row')
      .evaluateAll((rows) =>
        rows.map((row) => `${(row as HTMLElement).dataset.subject}:${(row as HTMLElement).dataset.key}`),
      )
    expect(keys).toEqual(board.scores.map((score) => `${score.subject}:${score.key}`))
    expect(keys.slice(0, 2).sort()).toEqual([`company:${crewB.operator}`, `driver:${crewB.driverId}`].sort())

    const rowA = boardRow(page, crewA)
    expect(await rowA.locator('td.total').textContent()).toBe('6 / 12')
    expect(await rowA.locator('td.bus').textContent()).toBe(crewA.plate)
    expect(await rowA.locator('.step').allTextContents()).toEqual(['约谈（6 分）'])
    expect(await rowA.getAttribute('data-removed')).toBe('false')
    const rowB = boardRow(page, crewB)
    expect(await rowB.getAttribute('data-removed')).toBe('true')
    expect(await rowB.getAttribute('class')).toContain('score-removed')
    expect(await rowB.locator('td.standing-cell .level.red').textContent()).toBe('已暂停校车驾驶')
    expect(await rowB.locator('.step').allTextContents()).toEqual([
      '约谈（6 分）',
      '警告（10 分）',
      '暂停校车驾驶（12 分）',
    ])
    expect(await page.locator('#scores-intro').textContent()).toContain(
      '累计 6 分约谈，10 分警告，12 分暂停校车驾驶',
    )
    expect(await page.locator('#scores-cycle').textContent()).toBe('本周期：2026-01-01 至 2026-12-31')

    await page.locator('#score-filter').selectOption('company')
    const subjects = await page
      .locator('#score-board tr.score-row')
      .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.subject))
    expect(new Set(subjects)).toEqual(new Set(['company']))
    expect(
      await page.locator(`#score-board tr.score-row[data-key="${crewA.operator}"] td.total`).textContent(),
    ).toBe('6 / 12')
    await page.locator('#score-filter').selectOption('all')

    // The score table, read-only, below the board.
    const rules = page.locator('#score-rules-section')
    expect(await rules.isVisible()).toBe(true)
    expect(await rules.locator('tr[data-kind="over_speed"] td.kind').textContent()).toBe('超速')
    expect(await rules.locator('tr[data-kind="over_speed"] td.points').textContent()).toBe(
      '超出限速：0% 起 1 分；20% 起 2 分；50% 起 3 分',
    )
    expect(await rules.locator('tr[data-kind="limiter_disabled"] td.points').textContent()).toBe('每次 3 分')
    // The seeded basis reads in Chinese first, the English after it.
    expect(await rules.locator('tr[data-kind="limiter_disabled"] td.basis').textContent()).toBe(
      '教育局要求：每辆校车都须开启限速装置（seeds/000）。\n' +
        "The bureau's request: every school bus runs with its speed limiter (seeds/000).",
    )
    expect(await rules.locator('tr[data-kind="child_left_on_bus"] td.subjects').textContent()).toBe(
      '驾驶员、企业',
    )
    expect(await rules.locator('.note').textContent()).toContain('误报、设备故障或重复报警')
    await shot('scores-board.png')
  })

  it("opens a driver's history in place: each point with its event, rule and case, a voided one struck through", async () => {
    const slowCase = await caseOf(crewA.busId, 'over_speed', at('07:10:00'))
    await openHistory(page, crewA)
    const history = page.locator('#score-history')
    expect(await boardRow(page, crewA).locator('button.subject-link').getAttribute('aria-expanded')).toBe(
      'true',
    )
    expect(await history.locator('h3').textContent()).toBe(zh.historyTitle(crewA.driverName))
    const points = history.locator('.score-points tbody tr[data-kind]')
    expect(await points.evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.kind))).toEqual([
      'over_speed',
      'over_speed',
      'limiter_disabled',
    ])
    const first = points.first()
    expect(await first.locator('td.when').textContent()).toBe(`${monday} 07:10`)
    expect(await first.locator('td.kind').textContent()).toBe('超速')
    expect(await first.locator('td.bus').textContent()).toBe(crewA.plate)
    expect(await first.locator('td.points').textContent()).toBe('1')
    expect(await first.locator('td.rule').textContent()).toBe('超出限速 6.7%，按 0% 起的一档')
    expect(await first.locator('td.alarm').textContent()).toBe(`#${slowCase} · 待处理`)
    expect(await points.nth(1).locator('td.rule').textContent()).toBe('超出限速 25%，按 20% 起的一档')
    expect(await points.nth(2).locator('td.kind').textContent()).toBe('限速器关闭')
    expect(await points.nth(2).locator('td.rule').textContent()).toBe('每次 3 分')
    const interview = history.locator('.reached-list li[data-step="interview"]')
    expect(await interview.textContent()).toMatch(
      /^约谈（6 分） · 2026-03-04 \d\d:\d\d 达到，当时 6 分 · 报警 #\d+$/,
    )
    expect(await history.locator('.score-cycles tr[data-starts-on="2026-01-01"]').textContent()).toContain(
      '（本周期）',
    )
    expect(await history.locator('#score-reinstate').count()).toBe(0)
    await shot('scores-history.png')

    // The bureau finds the first over-speed a false alarm: its point is voided, kept and marked.
    await api(`/api/alarms/${slowCase}/close`, tokens.bureau, { outcome: 'false_alarm', text: 'GPS drift' })
    await createScoring({ db: platform.db, clock }).step()
    await page.reload()
    await page.locator('#page[data-ready="true"]').waitFor()
    await boardReady()
    expect(await boardRow(page, crewA).locator('td.total').textContent()).toBe('5 / 12')
    expect(await boardRow(page, crewA).locator('td.voided').textContent()).toBe('1')
    expect(await boardRow(page, crewA).locator('.step.fallen').textContent()).toBe('约谈（6 分） · 已回落')
    await openHistory(page, crewA)
    const voided = page.locator(`#score-history .score-points tr[data-case="${slowCase}"]`)
    expect(await voided.getAttribute('data-voided')).toBe('true')
    expect(await voided.locator('td.points s').textContent()).toBe('1')
    expect(await voided.locator('td.alarm').textContent()).toBe(`#${slowCase} · 已结案：误报`)
    expect(await voided.locator('td.voided').textContent()).toMatch(
      /^误报：bureau-scores 于 2026-03-04 \d\d:\d\d 撤销$/,
    )
    expect(
      await voided.evaluate((row) => getComputedStyle(row.querySelector('td.kind')!).textDecorationLine),
    ).toBe('line-through')
    // A second click closes it.
    await boardRow(page, crewA).locator('button.subject-link').click()
    expect(await page.locator('#score-history').count()).toBe(0)
  })

  it('shows a school the drivers of its buses, the removed one red, and no reinstate action', async () => {
    const school = await openScores(tokens.school)
    const own = await api<BoardAnswer>('/api/scores', tokens.school)
    expect(own.scores.map((score) => score.subject)).not.toContain('company')
    const keys = await school
      .locator('#score-board tr.score-row')
      .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.key))
    expect(keys).toEqual(own.scores.map((score) => score.key))
    expect(await school.locator('#score-filter-field').isHidden()).toBe(true)
    expect(await school.locator('#score-rules-section').isHidden()).toBe(true)
    expect(await boardRow(school, crewB).getAttribute('data-removed')).toBe('true')
    await openHistory(school, crewB)
    expect(await school.locator('#score-history .score-removals tr[data-state="stands"]').count()).toBe(1)
    expect(await school.locator('#score-reinstate').count()).toBe(0)
    await shot('scores-school.png', school)
    await school.context().close()
  })

  it('lets the bureau reinstate the removed driver with a note, then shows it lifted; a stale page is refused', async () => {
    const stale = await openScores(tokens.bureau)
    await openHistory(stale, crewB)
    expect(await stale.locator('#score-reinstate').isVisible()).toBe(true)

    await openHistory(page, crewB)
    await page.locator('#score-reinstate').click()
    const dialog = page.locator('#reinstate-dialog')
    await dialog.waitFor({ state: 'visible' })
    expect(await page.locator('#reinstate-title').textContent()).toBe(zh.reinstateTitle(crewB.driverName))
    // A note is required.
    await page.locator('#reinstate-ok').click()
    expect(await page.locator('#reinstate-refused').textContent()).toBe(zh.noteRequired)
    expect(await dialog.isVisible()).toBe(true)
    await page.locator('#reinstate-note').fill(note)
    await page.locator('#reinstate-ok').click()
    await dialog.waitFor({ state: 'hidden' })
    await expect
      .poll(() => page.locator('#scores-status').textContent())
      .toBe(zh.reinstated(crewB.driverName))
    await expect.poll(() => boardRow(page, crewB).getAttribute('data-removed')).toBe('false')
    expect(await boardRow(page, crewB).locator('td.total').textContent()).toBe('12 / 12')
    const lifted = page.locator('#score-history .score-removals tr[data-state="lifted"]')
    await lifted.waitFor()
    expect(await lifted.locator('td.state').textContent()).toMatch(
      /^bureau-scores 于 2026-03-04 \d\d:\d\d 恢复$/,
    )
    expect(await lifted.locator('td.note').textContent()).toBe(note)
    expect(await page.locator('#score-reinstate').count()).toBe(0)
    const board = await api<BoardAnswer>('/api/scores?subject=driver')
    expect(board.scores.find((score) => score.key === crewB.driverId)).toMatchObject({
      total: 12,
      removed: false,
    })
    await shot('scores-reinstated.png')

    // The page opened before still offers it: the server finds no removal standing, said in the page's words.
    await stale.locator('#score-reinstate').click()
    await stale.locator('#reinstate-note').fill('retrained')
    await stale.locator('#reinstate-ok').click()
    await expect
      .poll(() => stale.locator('#reinstate-refused').textContent())
      .toBe(reportsText.zh.refusals.reasons.no_removal)
    await stale.locator('#reinstate-cancel').click()
    await expect.poll(() => boardRow(stale, crewB).getAttribute('data-removed')).toBe('false')
    expect(await stale.locator('#score-reinstate').count()).toBe(0)
    await stale.context().close()
  })

  for (const lang of ['zh', 'en'] as const) {
    for (const width of [1280, 768]) {
      it(`reads in ${lang} at ${width} px, nothing wider than the screen`, async () => {
        const other = await openScores(tokens.bureau, {
          ...desk,
          viewport: { width, height: 1000 },
          locale: lang === 'zh' ? 'zh-CN' : 'en-GB',
        })
        expect(await other.locator('html').getAttribute('lang')).toBe(lang === 'zh' ? 'zh-CN' : 'en')
        expect(await other.locator('#views button[data-view="scores"]').textContent()).toBe(
          reportsText[lang].views.scores,
        )
        expect(await other.locator('#view-scores h2').textContent()).toBe(reportsText[lang].scores.heading)
        expect(await boardRow(other, crewA).locator('td.subject').textContent()).toBe(
          reportsText[lang].scores.subjects.driver,
        )
        await openHistory(other, crewA)
        expect(
          await other
            .locator('#score-history .score-points tbody tr[data-kind="limiter_disabled"] td.kind')
            .textContent(),
        ).toBe(lang === 'zh' ? '限速器关闭' : 'Speed limiter off')
        expect(await other.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
        // The board itself fits, its open history too: nothing to scroll sideways.
        const board = other.locator('#score-board').locator('xpath=..')
        expect(await board.evaluate((scroll) => scroll.scrollWidth - scroll.clientWidth)).toBeLessThanOrEqual(
          0,
        )
        await shot(`scores-${lang}-${width}.png`, other)
        await other.context().close()
      })
    }
  }

  it('blocked nothing under the pages’ content security policy', () => {
    expect(contentSecurityViolations(browser)).toEqual([])
  })
})
