import fs from 'node:fs/promises'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { io, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCixiWorld, type CixiWorld } from '../fixtures/cixi-world.js'
import type { PlanMetrics } from '../geo/planner/plan-model.js'
import type { Platform } from '../server/start-platform.js'
import { contentSecurityViolations, testChromiumPath } from './support/browser.js'
import { artifactsDir, startPageSuite, type PageSuite } from './support/page-suite.js'
import { openAsStaff } from './support/staff-session.js'
import { readZip } from './support/read-zip.js'
import { schoolDayClock } from './support/school-day-clock.js'
import { waitFor } from './support/wait-for.js'

/**
 * The bureau's planner page in headless Chromium against the whole platform: the riders' density
 * map, a plan run with its progress to the map of lines (each in its own colour, as in the list of
 * lines with their calls), the table against today, the pupils left without a bus by reason, a
 * what-if beside it with why its cost moved, two plans side by side, the downloads, cancelling a
 * long plan, a phone's width in both languages, and a parent's link refused.
 */
const chromiumPath = testChromiumPath()
const desk = { viewport: { width: 1280, height: 900 }, locale: 'en-US', acceptDownloads: true }
const phone = { viewport: { width: 360, height: 780 }, locale: 'zh-CN' }
const planTimeoutMs = 180_000

interface StoredResult {
  lines: { id: string; stopIds: string[] }[]
  unserved: { pupilId: string; reason: string; schoolId: string; grade: number }[]
  metrics: PlanMetrics
  comparisons: { scope: string }[]
}

/** The school with the fewest riders, whose plan is quick. */
function smallSchool(world: CixiWorld) {
  const counts = new Map<string, number>()
  for (const pupil of world.pupils) counts.set(pupil.schoolId, (counts.get(pupil.schoolId) ?? 0) + 1)
  const [id] = [...counts].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))[0]!
  return world.schools.find((school) => school.id === id)!
}

describe.skipIf(!chromiumPath)('the planner page in Chromium', () => {
  let suite: PageSuite | undefined
  let platform: Platform
  let browser: Browser
  let world: CixiWorld
  let page: Page
  const tokens = { bureau: '', parent: '' }
  /** What the live channel tells a bureau's and a parent's socket about plans. */
  const heard: Record<'bureau' | 'parent', { id: string; status: string; phase: string }[]> = {
    bureau: [],
    parent: [],
  }
  const sockets: Socket[] = []

  const api = async <T>(apiPath: string): Promise<T> => {
    const response = await fetch(`${platform.httpUrl}${apiPath}`, {
      headers: { authorization: `Bearer ${tokens.bureau}` },
    })
    expect(response.status).toBe(200)
    return (await response.json()) as T
  }
  const newestPlan = async () =>
    (await api<{ plans: { id: string; status: string; metrics: PlanMetrics | null }[] }>('/api/plans'))
      .plans[0]!
  const shot = (name: string) => page.screenshot({ path: path.join(artifactsDir, name), fullPage: true })
  /** Waits for the progress bar to show, then for the plan to end. */
  const runAndWait = async (button: string) => {
    await page.locator(button).click()
    await page.locator('#progress').waitFor({ state: 'visible' })
    expect(await page.locator('#progress').getAttribute('data-phase')).toBeTruthy()
    await page.locator('#progress').waitFor({ state: 'hidden', timeout: planTimeoutMs })
  }

  beforeAll(async () => {
    world = await loadCixiWorld()
    // Today's service is the trips of a school day: on a weekend in Cixi there would be none to show.
    suite = await startPageSuite('planner-page', chromiumPath!, { clock: schoolDayClock('10:00') })
    ;({ platform, browser } = suite)
    const guardian = world.guardians[0]!
    tokens.bureau = await platform.tokens.issue({ role: 'bureau', sub: 'bureau-admin' })
    tokens.parent = await platform.tokens.issue({
      role: 'parent',
      sub: guardian.id,
      pupilIds: guardian.pupilIds,
    })
    for (const who of ['bureau', 'parent'] as const) {
      const socket = io(platform.httpUrl, { auth: { token: tokens[who] }, transports: ['websocket'] })
      socket.on('plan_progress', (update: (typeof heard)[typeof who][number]) => heard[who].push(update))
      sockets.push(socket)
      await new Promise((resolve) => socket.once('connect', () => resolve(undefined)))
    }
    page = await (await browser.newContext(desk)).newPage()
    await openAsStaff(page, platform.httpUrl!, '/planner', tokens.bureau)
  }, 180_000)

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect()
    await suite?.stop()
  })

  it(
    'shows where riders live, then a plan’s lines and stops and its table against today',
    async () => {
      expect(page.url()).not.toContain('token=')
      await waitFor(
        () => page.locator('.cell').count(),
        (n) => n > 0,
        'the density cells',
      )
      const counts = await page
        .locator('.cell')
        .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-count'))))
      expect(Math.min(...counts)).toBeGreaterThanOrEqual(3)
      const school = smallSchool(world)
      // Only the one-school scope asks for a school.
      expect(await page.locator('#scope-school-field').isHidden()).toBe(true)
      await page.locator('#scope').selectOption('school')
      expect(await page.locator('#scope-school-field').isVisible()).toBe(true)
      await page.locator('#scope-school').selectOption(school.id)
      await page.locator('#search-s').fill('0.2')
      await page.locator('#plan-name').fill('small school')
      await runAndWait('#run')

      const plan = await newestPlan()
      expect(plan.status).toBe('done')
      expect(await page.locator('#message').isHidden()).toBe(true)
      expect(await page.locator('.line').count()).toBeGreaterThan(0)
      expect(await page.locator('.stop').count()).toBeGreaterThan(0)
      const buses = page.locator('#metrics table.metrics tr[data-key="buses"] td.proposed').first()
      expect(await buses.textContent()).toBe(String(plan.metrics!.buses))
      expect(await page.locator('#metrics table.metrics tr').count()).toBeGreaterThanOrEqual(13)
      const { plan: stored } = await api<{ plan: { result: StoredResult } }>(`/api/plans/${plan.id}`)
      const result = stored.result
      // Comparisons are captioned in words, never by the scope's key.
      const captions = await page.locator('#metrics caption').allTextContents()
      expect(captions).toHaveLength(result.comparisons.length)
      for (const caption of captions) expect(caption).not.toMatch(/^(riders|line_riders|schools)$/)
      expect(await page.locator('#metrics tr.why').count()).toBe(captions.length)
      expect(await page.locator('#metrics tr[data-part]').count()).toBeGreaterThan(0)

      // The list of lines: one entry per line, in the colour the map draws it in.
      const entries = page.locator('#line-list > li[data-line-id]')
      expect(await entries.count()).toBe(result.lines.length)
      const listed = await entries.evaluateAll((items) =>
        items.map((item) => ({
          id: item.getAttribute('data-line-id')!,
          colour: item.getAttribute('data-colour')!,
        })),
      )
      const drawn = await page.locator('polyline.line').evaluateAll((lines) =>
        lines.map((line) => ({
          id: line.getAttribute('data-line-id')!,
          colour: line.getAttribute('stroke')!,
        })),
      )
      expect(drawn).toEqual(listed)
      const firstColours = listed.slice(0, 9).map((line) => line.colour)
      expect(new Set(firstColours).size).toBe(firstColours.length)
      const first = result.lines[0]!
      expect(await entries.first().locator('.calls li').count()).toBe(first.stopIds.length)
      expect(await entries.first().locator('.calls li').first().textContent()).toMatch(/\d\d:\d\d/)
      expect(['Micro-bus', 'Custom bus', 'School bus']).toContain(
        await entries.first().locator('.line-kind').textContent(),
      )
      await entries.first().locator('button').click()
      expect(await page.locator('polyline.line.picked').getAttribute('data-line-id')).toBe(first.id)
      expect(await page.locator('polyline.line.faded').count()).toBe(result.lines.length - 1)

      // The pupils without a bus: counted by reason, listed by school and grade, never named.
      const byReason = new Map<string, number>()
      for (const u of result.unserved) byReason.set(u.reason, (byReason.get(u.reason) ?? 0) + 1)
      const shown = await page
        .locator('#unserved section.reason')
        .evaluateAll((sections) =>
          sections.map(
            (s) => [s.getAttribute('data-reason')!, Number(s.getAttribute('data-count'))] as const,
          ),
        )
      expect(new Map(shown)).toEqual(byReason)
      const unservedText = (await page.locator('#unserved').textContent()) ?? ''
      if (result.unserved.length === 0) expect(unservedText).toBe('Every pupil has a bus.')
      for (const u of result.unserved) {
        expect(unservedText).toContain(u.pupilId)
        expect(unservedText).not.toContain(
          world.pupils.find((p) => p.id === u.pupilId)?.name ?? u.pupilId + '?',
        )
      }
      for (const reason of byReason.keys()) expect(unservedText).not.toContain(reason)

      await page.locator('#show-today').check()
      expect(await page.locator('.today-route').count()).toBeGreaterThan(0)
      await shot('planner-page.png')

      const [geojson] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('#download-geojson').click(),
      ])
      const collection = JSON.parse(await fs.readFile(await geojson.path(), 'utf8')) as { type: string }
      expect(collection.type).toBe('FeatureCollection')
      const [gtfs] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('#download-gtfs').click(),
      ])
      expect(gtfs.suggestedFilename()).toMatch(/\.zip$/)
      const names = readZip(await fs.readFile(await gtfs.path())).map((file) => file.name)
      expect(names).toEqual(
        expect.arrayContaining(['agency.txt', 'stops.txt', 'routes.txt', 'trips.txt', 'stop_times.txt']),
      )
    },
    planTimeoutMs,
  )

  it(
    'runs a what-if with a school’s start moved and shows its buses beside the base plan’s',
    async () => {
      const base = await newestPlan()
      const school = smallSchool(world)
      await page.locator('#whatif-school').selectOption(school.id)
      await page.locator('#whatif-shift').fill('-30')
      await runAndWait('#whatif-run')
      const shifted = await newestPlan()
      expect(shifted.id).not.toBe(base.id)
      expect(shifted.status).toBe('done')
      const table = page.locator('#whatif-result')
      expect(await table.isVisible()).toBe(true)
      expect(await table.getAttribute('data-base-buses')).toBe(String(base.metrics!.buses))
      expect(await table.getAttribute('data-shifted-buses')).toBe(String(shifted.metrics!.buses))
      expect(await table.locator('tr[data-key="buses"] td.shifted').textContent()).toBe(
        String(shifted.metrics!.buses),
      )
      const stored = await api<{ plan: { inputs: { settings: { timeShifts: unknown[] } } } }>(
        `/api/plans/${shifted.id}`,
      )
      expect(stored.plan.inputs.settings.timeShifts).toEqual([{ schoolId: school.id, shiftMin: -30 }])
      // The cost is taken apart by bus type, and a line says why it moved.
      expect(await table.locator('tr[data-part]').count()).toBeGreaterThan(0)
      expect(await table.locator('tr.why td').textContent()).toMatch(/cost per day/i)
      await shot('planner-page-whatif.png')

      // The two plans side by side, whichever were picked.
      await page.locator('#compare-first').selectOption(base.id)
      await page.locator('#compare-second').selectOption(shifted.id)
      const sideBySide = page.locator('#compare-result')
      await sideBySide.waitFor({ state: 'visible' })
      expect(await sideBySide.getAttribute('data-first')).toBe(base.id)
      expect(await sideBySide.getAttribute('data-second')).toBe(shifted.id)
      const buses = sideBySide.locator('tr[data-key="buses"] td')
      expect(await buses.allTextContents()).toEqual([
        String(base.metrics!.buses),
        String(shifted.metrics!.buses),
      ])
      expect(await sideBySide.locator('tr.why').count()).toBe(1)
      await shot('planner-page-side-by-side.png')
    },
    planTimeoutMs,
  )

  it(
    'proposes shifts within the windows given, and switches to Chinese',
    async () => {
      const school = smallSchool(world)
      await page.locator('#propose-school').selectOption(school.id)
      await page.locator('#propose-earliest').fill('-30')
      await page.locator('#propose-latest').fill('30')
      await runAndWait('#propose-run')
      const proposed = await newestPlan()
      const stored = await api<{
        plan: { inputs: { settings: { shiftWindows: unknown[] } }; result: { shiftProposal: unknown } }
      }>(`/api/plans/${proposed.id}`)
      expect(stored.plan.inputs.settings.shiftWindows).toEqual([
        { schoolId: school.id, earliestMin: -30, latestMin: 30 },
      ])
      const list = page.locator('#shift-proposal')
      expect(await list.isVisible()).toBe(true)
      const proposal = stored.plan.result.shiftProposal as { shifts: unknown[]; busesAfter: number } | null
      if (proposal && proposal.shifts.length > 0) {
        expect(await list.getAttribute('data-buses-after')).toBe(String(proposal.busesAfter))
        expect(await list.locator('li').count()).toBe(proposal.shifts.length + 1)
      } else {
        expect(await list.textContent()).toBe('No shift within the windows saves a bus.')
      }

      await page.locator('#language').click()
      expect(await page.locator('#title').textContent()).toBe('线路规划')
      expect(await page.locator('#metrics table.metrics th').nth(1).textContent()).toBe('现状')
      await page.locator('#language').click()
      expect(await page.locator('#title').textContent()).toBe('Line planner')
    },
    planTimeoutMs,
  )

  it('cancels a long plan from the progress bar and stays usable', async () => {
    await page.locator('#scope').selectOption('riders')
    await page.locator('#search-s').fill('60')
    await page.locator('#run').click()
    await page.locator('#progress').waitFor({ state: 'visible' })
    expect(await page.locator('#run').isDisabled()).toBe(true)
    // The map and the tables of the plan shown before stay on the page meanwhile.
    await page.locator('#show-today').uncheck()
    expect(await page.locator('.today-route').count()).toBe(0)
    expect(await page.locator('.line').count()).toBeGreaterThan(0)
    await page.locator('#cancel').click()
    await page.locator('#progress').waitFor({ state: 'hidden' })
    expect((await newestPlan()).status).toBe('cancelled')
    expect(await page.locator('#plan-list button').first().getAttribute('data-status')).toBe('cancelled')
    expect(await page.locator('#run').isEnabled()).toBe(true)
  })

  it('fits a phone’s width in Chinese and in English', async () => {
    const small = await (await browser.newContext(phone)).newPage()
    await openAsStaff(small, platform.httpUrl!, '/planner', tokens.bureau)
    await small.locator('#line-list > li[data-line-id]').first().waitFor()
    for (const lang of ['zh', 'en'] as const) {
      if (lang === 'en') await small.locator('#language').click()
      expect(await small.locator('#title').textContent()).toBe(lang === 'zh' ? '线路规划' : 'Line planner')
      expect(await small.locator('#line-list .line-kind').first().textContent()).toMatch(
        lang === 'zh' ? /^(微公交|定制公交|校车)$/ : /^(Micro-bus|Custom bus|School bus)$/,
      )
      const overflowPx = await small.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      )
      expect(overflowPx).toBeLessThanOrEqual(0)
      await small.screenshot({
        path: path.join(artifactsDir, `planner-page-360-${lang}.png`),
        fullPage: true,
      })
    }
    await small.context().close()
  })

  it('shows a parent’s link the error page', async () => {
    const other = await (await browser.newContext(desk)).newPage()
    await openAsStaff(other, platform.httpUrl!, '/planner', tokens.parent)
    const errorPage = other.locator('#error-page')
    await errorPage.waitFor({ state: 'visible' })
    expect(await errorPage.getAttribute('data-kind')).toBe('not_bureau')
    expect(await other.locator('#page').isHidden()).toBe(true)
    await other.screenshot({ path: path.join(artifactsDir, 'planner-page-refused.png') })
    await other.context().close()
  })

  it('blocked nothing under the pages’ content security policy', () => {
    expect(contentSecurityViolations(browser)).toEqual([])
  })
})
