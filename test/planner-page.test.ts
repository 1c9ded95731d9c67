import fs from 'node:fs/promises'
import path from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
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

/** Where an element ends up once the map stops moving (a drag glides on a little after the finger lifts). */
async function settledBox(locator: Locator) {
  let last = await locator.boundingBox()
  for (let tries = 0; tries < 20; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 250))
    const now = await locator.boundingBox()
    if (JSON.stringify(now) === JSON.stringify(last)) return now!
    last = now
  }
  throw new Error('the map kept moving')
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

      // The map stands on the platform's own roads, with no tile service, and marks every school.
      const mapElement = page.locator('#map')
      const roadsAtStart = Number(
        await waitFor(
          () => mapElement.getAttribute('data-road-count'),
          (n) => Number(n) > 0,
          'the roads under the map',
        ),
      )
      expect(await page.locator('.leaflet-tile').count()).toBe(0)
      const marked = await page.locator('.school-marker').evaluateAll((marks) =>
        marks.map((m) => ({
          lat: Number(m.getAttribute('data-lat')),
          lng: Number(m.getAttribute('data-lng')),
        })),
      )
      expect(marked).toHaveLength(world.schools.length)
      // No tiles, no datum to shift to: each school is drawn where the registers put it.
      for (const { name, location } of world.schools) {
        const at = (m: { lat: number; lng: number }) =>
          Math.abs(m.lat - location.lat) < 1e-6 && Math.abs(m.lng - location.lon) < 1e-6
        expect(marked.filter(at), name).toHaveLength(1)
      }
      // Zoomed in, the map asks for the roads of the new view, with the streets a county view leaves out.
      const zoomBefore = Number(await mapElement.getAttribute('data-road-zoom'))
      /** One press at a time: a press while the map still glides to the last zoom is not counted. */
      const zoomBy = async (steps: number) => {
        const button = page.locator(steps > 0 ? '.leaflet-control-zoom-in' : '.leaflet-control-zoom-out')
        for (let step = 1; step <= Math.abs(steps); step++) {
          const from = Number(await mapElement.getAttribute('data-road-zoom'))
          await button.click()
          await waitFor(
            () => mapElement.getAttribute('data-road-zoom'),
            (zoom) => Number(zoom) === from + Math.sign(steps),
            'the roads of the zoomed view',
          )
        }
      }
      await zoomBy(2)
      expect(Number(await mapElement.getAttribute('data-road-count'))).not.toBe(roadsAtStart)
      // Dragged, the drawings go with the map, and the map stays where it was put.
      const schoolMark = page.locator('.school-marker').first()
      const before = (await schoolMark.boundingBox())!
      const box = (await mapElement.boundingBox())!
      const [x, y] = [box.x + box.width / 2, box.y + box.height / 2]
      await page.mouse.move(x, y)
      await page.mouse.down()
      await page.mouse.move(x - 80, y + 40, { steps: 8 })
      await page.mouse.up()
      const after = await settledBox(schoolMark)
      expect(after.x - before.x).toBeLessThanOrEqual(-79)
      expect(after.y - before.y).toBeGreaterThanOrEqual(39)
      await zoomBy(-2)
      expect(Number(await mapElement.getAttribute('data-road-zoom'))).toBe(zoomBefore)
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
      const drawn = await page.locator('path.line').evaluateAll((lines) =>
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
      expect(await page.locator('path.line.picked').getAttribute('data-line-id')).toBe(first.id)
      expect(await page.locator('path.line.faded').count()).toBe(result.lines.length - 1)

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
      await page.locator('#map').screenshot({ path: path.join(artifactsDir, 'planner-map-1280-en.png') })

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
      // Made on the base plan's workings: only the school's mornings were routed again.
      const { plan: shiftedPlan } = await api<{
        plan: {
          inputs: { basePlanId?: string }
          result: { replanned: { mode: string; groups: { direction: string }[]; reusedGroups: number } }
        }
      }>(`/api/plans/${shifted.id}`)
      expect(shiftedPlan.inputs.basePlanId).toBe(base.id)
      const { replanned } = shiftedPlan.result
      expect(replanned.mode).toBe('partial')
      expect(replanned.groups.every((group) => group.direction === 'to_school')).toBe(true)
      const said = table.locator('tr.replanned')
      expect(await said.getAttribute('data-mode')).toBe('partial')
      expect(await said.getAttribute('data-replanned')).toBe(String(replanned.groups.length))
      expect(await said.getAttribute('data-reused')).toBe(String(replanned.reusedGroups))
      expect(await said.locator('td').textContent()).toMatch(
        replanned.groups.length > 0
          ? /^Planned again: .+ kept the base plan’s routes\./
          : /^(Nothing moved|No ride group planned again)/,
      )
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
      expect(await page.locator('#whatif-result tr.replanned th').textContent()).toBe('重新规划了什么')
      expect(await page.locator('#whatif-result tr.replanned td').textContent()).toContain('沿用原方案')
      expect(await page.locator('.leaflet-control-zoom-in').getAttribute('title')).toBe('放大')
      await page.locator('#map').screenshot({ path: path.join(artifactsDir, 'planner-map-1280-zh.png') })
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
    await waitFor(
      () => small.locator('#map').getAttribute('data-road-count'),
      (n) => Number(n) > 0,
      'the roads on a phone',
    )
    // Buttons a thumb can press.
    const zoomIn = (await small.locator('.leaflet-control-zoom-in').boundingBox())!
    expect(Math.min(zoomIn.width, zoomIn.height)).toBeGreaterThanOrEqual(44)
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
