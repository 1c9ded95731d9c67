import path from 'node:path'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Platform } from '../server/start-platform.js'
import { writeDerivedEvents } from '../workers/events/write-derived-events.js'
import { bureauText } from '../web/bureau/bureau-text.js'
import { alarmInboxRefusalText } from '../web/shared/refusal-text.js'
import { contentSecurityViolations, testChromiumPath } from './support/browser.js'
import { artifactsDir, startPageSuite, type PageSuite } from './support/page-suite.js'
import { schoolDayClock } from './support/school-day-clock.js'
import { openAsStaff } from './support/staff-session.js'
import { waitFor } from './support/wait-for.js'

/**
 * The bureau's fleet console in headless Chromium against the whole platform with its simulated
 * fleet at a busy hour of the morning: every bus on the map and in the list, the markers moving as
 * the buses report; an over-speed episode stored as the events part stores it reaches the inbox
 * live and is acknowledged, assigned, noted and closed through the page, a refusal worded in the
 * page's language; a bus's panel with its track of the day and its player; a school's account sees
 * its own buses and cases only; a tablet's width in both languages; and nothing the page's content
 * security policy blocks.
 */
const chromiumPath = testChromiumPath()
const desk: BrowserContextOptions = { viewport: { width: 1280, height: 860 }, locale: 'en-US' }
const tablet: BrowserContextOptions = { viewport: { width: 768, height: 1024 }, locale: 'zh-CN' }

interface ApiBus {
  busId: string
  plate: string
  state: string
  schoolIds: string[]
  position: { ts: string; lat: number; lon: number } | null
  trip: { id: string; schoolId: string } | null
}

describe.skipIf(!chromiumPath)('the fleet console in Chromium', () => {
  let suite: PageSuite | undefined
  let platform: Platform
  let browser: Browser
  const tokens = { bureau: '', school: '' }
  /** The bus the over-speed is injected for: on a trip now, reporting. */
  let target: ApiBus
  let schoolBuses: string[] = []

  const api = async <T>(apiPath: string, token = tokens.bureau): Promise<T> => {
    const response = await fetch(`${platform.httpUrl}${apiPath}`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(response.status, apiPath).toBe(200)
    return (await response.json()) as T
  }
  const fleetState = (token = tokens.bureau) => api<{ buses: ApiBus[] }>('/api/fleet/state', token)
  const openConsole = async (token: string, options: BrowserContextOptions, query = ''): Promise<Page> => {
    const page = await (await browser.newContext(options)).newPage()
    await openAsStaff(page, platform.httpUrl!, `/bureau${query}`, token)
    await page.locator('#page[data-ready="true"]').waitFor({ timeout: 60_000 })
    return page
  }
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(artifactsDir, name), fullPage: true })
  /** An over-speed episode of `bus` as the events part stores it: its case opens in the same transaction. */
  const injectOverSpeed = async (bus: ApiBus, secondsAgo: number) => {
    const at = new Date(Date.parse(bus.position!.ts) - secondsAgo * 1000)
    await writeDerivedEvents(platform.db, [
      {
        busId: bus.busId,
        kind: 'over_speed',
        ts: at,
        tripId: bus.trip?.id ?? null,
        details: {
          peakKmh: 78,
          limitKmh: 60,
          limitReason: 'other_road',
          roadClass: null,
          roadName: null,
          peakTs: new Date(at.getTime() + 4000).toISOString(),
          lat: bus.position!.lat,
          lon: bus.position!.lon,
          durationS: 9,
          fixes: 9,
          endTs: new Date(at.getTime() + 9000).toISOString(),
        },
      },
    ])
    const [row] = await platform.db.query<{ id: number }>(
      `SELECT id::int AS id FROM alarm_cases WHERE bus_id = $1 AND kind = 'over_speed' AND event_ts = $2`,
      [bus.busId, at],
    )
    return row!.id
  }

  beforeAll(async () => {
    suite = await startPageSuite('bureau-page', chromiumPath!, {
      clock: schoolDayClock('07:10'),
      env: { SIMULATOR_FLEET: 'cixi' },
    })
    ;({ platform, browser } = suite)
    tokens.bureau = await platform.tokens.issue({ role: 'bureau', sub: 'bureau-duty' })
    await platform.db.exec(`
      INSERT INTO staff_accounts (id, username, display_name, role, school_id, password_hash, created_at, updated_at)
      VALUES ('acc-duty', 'duty-officer', 'Duty officer', 'bureau', NULL, 'x', now(), now())`)
    // Every bus has reported, and the one to watch runs a trip.
    const state = await waitFor(
      () => fleetState(),
      (fleet) =>
        fleet.buses.every((bus) => bus.position !== null) &&
        fleet.buses.some((bus) => bus.trip !== null && bus.state !== 'silent'),
      'the simulated fleet reporting',
      90_000,
    )
    target = state.buses
      .filter((bus) => bus.trip !== null && bus.state !== 'silent')
      .sort((a, b) => a.plate.localeCompare(b.plate))[0]!
    const schoolId = target.trip!.schoolId
    tokens.school = await platform.tokens.issue({ role: 'school', sub: 'school-staff', schoolId })
    schoolBuses = (await fleetState(tokens.school)).buses.map((bus) => bus.busId).sort()
  }, 240_000)

  afterAll(async () => {
    await suite?.stop()
  })

  it('shows every bus on the map and in the list, by state, and moves the markers as buses report', async () => {
    const started = performance.now()
    const state = await fleetState()
    const readMs = performance.now() - started
    console.log(`fleet state of ${state.buses.length} buses read in ${readMs.toFixed(0)} ms`)
    expect(state.buses).toHaveLength(36)

    const page = await openConsole(tokens.bureau, desk)
    expect(page.url()).not.toContain('token')
    const markers = page.locator('.fleet-marker')
    await waitFor(
      () => markers.count(),
      (n) => n === 36,
      'a marker per bus',
    )
    expect(await page.locator('#bus-list .bus-row').count()).toBe(36)
    const shown = await markers.evaluateAll((nodes) =>
      nodes.map((node) => ({
        busId: (node as HTMLElement).dataset.busId!,
        state: (node as HTMLElement).dataset.state!,
      })),
    )
    expect(shown.map((m) => m.busId).sort()).toEqual(state.buses.map((bus) => bus.busId).sort())
    // Colour is never the only cue: every marker has its state's shape and sign.
    const signs = await page.locator('.fleet-marker .state-sign').allTextContents()
    expect(signs.every((sign) => sign.trim().length > 0)).toBe(true)
    expect(await page.locator('#legend li').count()).toBe(6)
    // The list's counts add up to the fleet, and a state filter narrows the list to it.
    const counts = await page
      .locator('#state-counts li')
      .evaluateAll((items) => items.map((item) => Number((item as HTMLElement).dataset.count)))
    expect(counts.reduce((sum, n) => sum + n, 0)).toBe(36)
    const someState = shown[0]!.state
    await page.locator('#filter-state').selectOption(someState)
    const filtered = await page
      .locator('#bus-list .bus-row')
      .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.state))
    expect(filtered.length).toBeGreaterThan(0)
    expect(new Set(filtered)).toEqual(new Set([someState]))
    await page.locator('#filter-state').selectOption('')

    // A running bus's marker follows its reports, pushed by the live channel.
    const marker = page.locator(`.fleet-marker[data-bus-id="${target.busId}"]`)
    const firstTs = await marker.getAttribute('data-report-ts')
    await waitFor(
      () => marker.getAttribute('data-report-ts'),
      (ts) => ts !== null && ts > (firstTs ?? ''),
      'the marker moving with a new report',
    )
    expect(await page.locator('#live').getAttribute('data-online')).toBe('true')
    await page.context().close()
  })

  it('brings an over-speed into the inbox live, and works it to the end through the page', async () => {
    const page = await openConsole(tokens.bureau, desk, '?tab=inbox')
    await page.locator('#case-count').filter({ hasText: /^\d+$/ }).waitFor()
    const bus = (await fleetState()).buses.find((known) => known.busId === target.busId)!
    const caseId = await injectOverSpeed(bus, 30)
    const row = page.locator(`.case-row[data-case-id="${caseId}"]`)
    // Sent by the alarms part within its step, and shown without reloading.
    await row.waitFor({ timeout: 20_000 })
    expect(await row.getAttribute('data-kind')).toBe('over_speed')
    expect(await row.getAttribute('data-state')).toBe('open')
    expect(await page.locator('#message').textContent()).toContain(bus.plate)
    // On the map, the bus is ringed for its open alarm once the fleet is read again.
    await waitFor(
      () => page.locator(`.fleet-marker[data-bus-id="${bus.busId}"]`).getAttribute('data-open-cases'),
      (n) => Number(n) >= 1,
      'the bus ringed on the map',
    )

    await row.click()
    const panel = page.locator('#case-panel')
    await page.locator('#case-panel[data-loaded="true"]').waitFor()
    expect(await panel.getAttribute('data-case-id')).toBe(String(caseId))
    // Its evidence: where on the map, the speed trace with the limit, and the bus's contacts.
    await page.locator('#case-place').waitFor()
    expect(Number(await page.locator('#case-place').getAttribute('data-lat'))).toBeCloseTo(
      bus.position!.lat,
      5,
    )
    expect(
      Number(await page.locator('#case-trace .speed-chart').getAttribute('data-samples')),
    ).toBeGreaterThan(10)
    expect(await page.locator('#case-trace .chart-limit').count()).toBe(1)
    const roles = await page
      .locator('#case-contacts li')
      .evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.role))
    expect(roles).toEqual(expect.arrayContaining(['driver', 'attendant']))
    // The roads of the case's street drawn under it before the picture is taken.
    await waitFor(
      () => page.locator('#map').getAttribute('data-road-zoom'),
      (zoom) => Number(zoom) >= 15,
      'the roads around the case',
    )
    await shot(page, 'bureau-inbox-case-en-1280.png')

    await page.locator('#case-acknowledge').click()
    await page.locator('#case-panel[data-state="acknowledged"]').waitFor()
    expect(await page.locator('#case-acknowledge').isHidden()).toBe(true)
    await page.locator('#case-assignee').selectOption('duty-officer')
    await page.locator('#case-assign-form button[type="submit"]').click()
    await page.locator('#case-panel[data-state="assigned"]').waitFor()
    await page.locator('#case-note').fill('Called the driver: slowed down at once.')
    await page.locator('#case-note-form button[type="submit"]').click()
    await page.locator('#case-notes li[data-note-id]').waitFor()
    expect(await page.locator('#case-notes').textContent()).toContain('Called the driver')
    await page.locator('#case-outcome').selectOption('resolved')
    await page.locator('#case-closing-text').fill('The operator has warned the driver.')
    await page.locator('#case-close-form button[type="submit"]').click()
    await page.locator('#case-panel[data-state="closed"]').waitFor()
    // The inbox shows the cases not closed: this one leaves it.
    await row.waitFor({ state: 'detached' })
    for (const form of ['#case-assign-form', '#case-note-form', '#case-close-form'])
      expect(await page.locator(form).isHidden()).toBe(true)
    const actions = await page
      .locator('#case-history li')
      .evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.action))
    expect(actions).toEqual(['opened', 'acknowledged', 'assigned', 'closed'])
    const { alarm, notes } = await api<{
      alarm: { state: string; outcome: string; assignedTo: string; closedBy: string }
      notes: { author: string }[]
    }>(`/api/alarms/${caseId}`)
    expect(alarm).toMatchObject({
      state: 'closed',
      outcome: 'resolved',
      assignedTo: 'duty-officer',
      closedBy: 'bureau-duty',
    })
    expect(notes.map((note) => note.author)).toEqual(['bureau-duty'])
    await page.context().close()
  })

  it('words a refusal in the page’s language: a case closed elsewhere takes no note', async () => {
    const bus = (await fleetState()).buses.find((known) => known.busId === target.busId)!
    const caseId = await injectOverSpeed(bus, 60)
    const page = await openConsole(tokens.bureau, { ...desk, locale: 'zh-CN' }, '?tab=inbox')
    await page.locator(`.case-row[data-case-id="${caseId}"]`).click()
    await page.locator('#case-panel[data-loaded="true"]').waitFor()
    // Closed behind the page's back, with no live message to tell it.
    await platform.db.query(
      `UPDATE alarm_cases SET state = 'closed', acknowledged_at = now(), acknowledged_by = 'elsewhere',
              closed_at = now(), closed_by = 'elsewhere', outcome = 'duplicate', closing_text = 'x'
       WHERE id = $1`,
      [caseId],
    )
    await page.locator('#case-note').fill('还在处理')
    await page.locator('#case-note-form button[type="submit"]').click()
    const refused = page.locator('#case-refused')
    await refused.waitFor()
    expect(await refused.textContent()).toBe(alarmInboxRefusalText.zh.alarm_closed)
    expect(await refused.getAttribute('data-reason')).toBe('alarm_closed')
    // And the page shows the case as it is now.
    await page.locator('#case-panel[data-state="closed"]').waitFor()
    await page.context().close()
  })

  it('opens a bus with its day, its equipment and its track coloured by speed, played back', async () => {
    const page = await openConsole(tokens.bureau, desk)
    await page.locator(`#bus-list .bus-row[data-bus-id="${target.busId}"]`).click()
    await page.locator('#bus-panel[data-loaded="true"]').waitFor({ timeout: 30_000 })
    expect(await page.locator('#bus-title').textContent()).toContain(target.plate)
    for (const key of ['state', 'trip', 'next-call', 'speed', 'driver', 'attendant', 'pupils'])
      expect(await page.locator(`#bus-facts [data-fact="${key}"]`).count(), key).toBe(1)
    for (const key of ['gps', 'limiter', 'video', 'power'])
      expect(await page.locator(`#bus-device [data-fact="${key}"]`).count(), key).toBe(1)
    expect(await page.locator('#bus-trips li[data-trip-id]').count()).toBeGreaterThan(0)
    // The over-speed injected before is among its events of the day.
    expect(await page.locator('#bus-events li[data-kind="over_speed"]').count()).toBeGreaterThanOrEqual(1)
    // The track of the day on the map, coloured by speed band, and the player's cursor at its end.
    expect(await page.locator('path.speed-track').count()).toBeGreaterThan(0)
    const fixes = Number(await page.locator('#track-slider').getAttribute('data-fixes'))
    expect(fixes).toBeGreaterThan(10)
    expect(await page.locator('#track-cursor').getAttribute('data-index')).toBe(String(fixes - 1))
    await page.locator('#track-slider').fill('0')
    expect(await page.locator('#track-cursor').getAttribute('data-index')).toBe('0')
    await page.locator('#track-play').click()
    expect(await page.locator('#track-play').getAttribute('data-playing')).toBe('true')
    await waitFor(
      () => page.locator('#track-cursor').getAttribute('data-index'),
      (index) => Number(index) > 0,
      'the cursor running along the track',
    )
    await page.locator('#track-play').click()
    expect(await page.locator('#track-play').getAttribute('data-playing')).toBe('false')
    const pausedAt = await page.locator('#track-cursor').getAttribute('data-index')
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await page.locator('#track-cursor').getAttribute('data-index')).toBe(pausedAt)
    expect(await page.locator(`.fleet-marker.picked[data-bus-id="${target.busId}"]`).count()).toBe(1)
    await shot(page, 'bureau-bus-en-1280.png')
    // In Chinese, the same panel in the page's other words.
    await page.locator('#language').click()
    expect(await page.locator('#bus-title').textContent()).toContain(bureauText.zh.busTitle(target.plate))
    await shot(page, 'bureau-bus-zh-1280.png')
    await page.context().close()
  })

  it('shows a school its own buses and their cases only', async () => {
    expect(schoolBuses.length).toBeGreaterThan(0)
    expect(schoolBuses.length).toBeLessThan(36)
    const page = await openConsole(tokens.school, tablet, '?tab=inbox')
    await waitFor(
      () => page.locator('.fleet-marker').count(),
      (n) => n === schoolBuses.length,
      "the school's buses on the map",
    )
    const listed = await page
      .locator('#bus-list .bus-row')
      .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.busId!))
    expect(listed.sort()).toEqual(schoolBuses)
    await page.locator('#case-filter-state').selectOption('all')
    await page.locator('#case-list .case-row').first().waitFor()
    const caseBuses = await page
      .locator('#case-list .case-row')
      .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.busId!))
    expect(caseBuses.length).toBeGreaterThan(0)
    for (const busId of caseBuses) expect(schoolBuses).toContain(busId)
    // A school may not assign: the form is not offered.
    await page.locator('#case-list .case-row').first().click()
    await page.locator('#case-panel[data-loaded="true"]').waitFor()
    expect(await page.locator('#case-assign-form').isHidden()).toBe(true)
    await shot(page, 'bureau-school-inbox-zh-768.png')
    await page.context().close()
  })

  it('fits a tablet in both languages, and the policy blocked nothing', async () => {
    for (const [lang, options] of [
      ['zh', tablet],
      ['en', { ...tablet, locale: 'en-US' }],
    ] as const) {
      const page = await openConsole(tokens.bureau, options)
      await waitFor(
        () => page.locator('.fleet-marker').count(),
        (n) => n === 36,
        'the markers',
      )
      expect(await page.locator('h1').textContent()).toBe(bureauText[lang].title)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768)
      await page.locator(`#bus-list .bus-row[data-bus-id="${target.busId}"]`).click()
      await page.locator('#bus-panel[data-loaded="true"]').waitFor({ timeout: 30_000 })
      await shot(page, `bureau-fleet-${lang}-768.png`)
      await page.context().close()
    }
    const page = await openConsole(tokens.bureau, { ...desk, locale: 'zh-CN' })
    await waitFor(
      () => page.locator('.fleet-marker').count(),
      (n) => n === 36,
      'the markers',
    )
    await shot(page, 'bureau-fleet-zh-1280.png')
    await page.context().close()
    expect(contentSecurityViolations(browser)).toEqual([])
  })
})
