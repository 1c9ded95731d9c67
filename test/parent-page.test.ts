import { randomUUID } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCixiWorld, type CixiWorld, type Trip } from '../fixtures/cixi-world.js'
import type { Principal } from '../server/core/auth/principal.js'
import type { Clock } from '../server/core/clock/clock.js'
import { loadConfig } from '../server/core/config/load-config.js'
import { createLogger } from '../server/core/log/logger.js'
import { startPlatform, type Platform } from '../server/start-platform.js'
import { sessionIdOf } from '../server/core/auth/sessions.js'
import { contentSecurityViolations, launchChromium, testChromiumPath } from './support/browser.js'
import { schoolDayClock } from './support/school-day-clock.js'
import { waitFor } from './support/wait-for.js'

/**
 * The parent page in headless Chromium against the whole platform with its simulated fleet, on a
 * phone-sized screen: the bus moves, the ETA counts, a boarding reaches the page, and a refused
 * link shows the error page.
 */
const chromiumPath = testChromiumPath()
const artifactsDir = path.resolve('artifacts')
const phone = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, locale: 'en-US' }

/**
 * A morning trip with pupils getting on at its third stop, watched from a minute and a half before
 * the bus reaches its second: the bus is on its way to the child's stop for the whole suite.
 */
function pickRide(world: CixiWorld) {
  const trip = world.trips.find(
    (t): t is Trip => t.direction === 'to_school' && t.stops.length >= 4 && t.stops[2]!.board.length > 0,
  )
  if (!trip) throw new Error('the fixture world has no morning trip with pupils at a third stop')
  const childStop = trip.stops[2]!
  const pupilId = childStop.board[0]!
  const guardian = world.guardians.find((g) => g.pupilIds.includes(pupilId))!
  const attendant = world.staff.find((s) => s.role === 'attendant' && s.busId === trip.busId)!
  const busOf = new Map(
    world.pupils.map((p) => [p.id, p.transport.mode === 'school_bus' ? p.transport.busId : null]),
  )
  const otherGuardian = world.guardians.find((g) =>
    g.pupilIds.every((id) => busOf.get(id) && busOf.get(id) !== trip.busId),
  )!
  const [h, m, s] = trip.stops[1]!.arrive.split(':').map(Number) as [number, number, number]
  const watchFromS = h * 3600 + m * 60 + s - 90
  const localTime = `${String(Math.floor(watchFromS / 3600)).padStart(2, '0')}:${String(Math.floor((watchFromS % 3600) / 60)).padStart(2, '0')}`
  return {
    trip,
    pupilId,
    /** Stops are numbered from 1 in the API. */
    childSeq: 3,
    childStopName: world.stops.find((st) => st.id === childStop.stopId)!.name,
    childName: world.pupils.find((p) => p.id === pupilId)!.name,
    localTime,
    parent: { role: 'parent', sub: guardian.id, pupilIds: guardian.pupilIds } satisfies Principal,
    /** The same family with a sibling listed first who takes no school bus. */
    twoChildren: {
      role: 'parent',
      sub: guardian.id,
      pupilIds: [world.pupils.find((p) => p.transport.mode === 'none')!.id, pupilId],
    } satisfies Principal,
    otherParent: {
      role: 'parent',
      sub: otherGuardian.id,
      pupilIds: otherGuardian.pupilIds,
    } satisfies Principal,
    attendant: { role: 'attendant', sub: attendant.id, busId: trip.busId } satisfies Principal,
  }
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

describe.skipIf(!chromiumPath)('the parent page in Chromium', () => {
  let dataDir: string
  let platform: Platform
  let browser: Browser
  let clock: Clock
  let ride: ReturnType<typeof pickRide>
  const tokens: Record<'parent' | 'twoChildren' | 'otherParent' | 'attendant', string> = {
    parent: '',
    twoChildren: '',
    otherParent: '',
    attendant: '',
  }

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stp-parent-page-'))
    await fs.mkdir(artifactsDir, { recursive: true })
    ride = pickRide(await loadCixiWorld())
    clock = schoolDayClock(ride.localTime)
    const config = loadConfig({
      DATA_DIR: dataDir,
      PORT: '0',
      MQTT_PORT: '0',
      JT808_PORT: '0',
      LOG_LEVEL: 'silent',
      SIMULATOR_FLEET: 'cixi',
    })
    ;[platform, browser] = await Promise.all([
      startPlatform({ config, log: createLogger({ level: 'silent' }), clock }),
      launchChromium(chromiumPath!),
    ])
    for (const who of ['parent', 'twoChildren', 'otherParent', 'attendant'] as const)
      tokens[who] = await platform.tokens.issue(ride[who])
  }, 90_000)

  afterAll(async () => {
    await browser?.close()
    await platform?.stop()
    await fs.rm(dataDir, { recursive: true, force: true })
  })

  const openPage = async (fragment: string): Promise<Page> => {
    const context = await browser.newContext(phone)
    const page = await context.newPage()
    await page.goto(`${platform.httpUrl}/parent#${fragment}`)
    return page
  }

  it('shows the bus moving towards the child’s stop, the ETA counting, and the boarding', async () => {
    const page = await openPage(`token=${tokens.parent}&pupil=${ride.pupilId}`)
    expect(page.url()).not.toContain('token=')

    const eta = page.locator('#eta')
    await waitFor(
      () => eta.getAttribute('data-kind'),
      (kind) => kind === 'minutes',
      'the ETA panel',
    )
    const bus = page.locator('#bus-marker')
    const placeOfBus = async () =>
      `${await bus.getAttribute('data-lat')},${await bus.getAttribute('data-lng')}`
    await bus.waitFor({ state: 'visible' })
    const firstPlace = await placeOfBus()
    await waitFor(placeOfBus, (place) => place !== firstPlace, 'the bus marker')

    const value = page.locator('#eta-value')
    const firstRemainingS = Number(await value.getAttribute('data-remaining-s'))
    const laterRemainingS = Number(
      await waitFor(
        () => value.getAttribute('data-remaining-s'),
        (s) => Number(s) !== firstRemainingS,
        'the seconds to the child’s stop',
      ),
    )
    expect(laterRemainingS).toBeGreaterThan(0)
    // The minutes shown agree with what the server predicts for the child's stop, on its clock.
    const live = (await (
      await fetch(`${platform.httpUrl}/api/buses/${ride.trip.busId}/live`, {
        headers: { authorization: `Bearer ${tokens.parent}` },
      })
    ).json()) as { eta: { stops: { seq: number; etaTs: string | null }[] } }
    const predicted = live.eta.stops.find((s) => s.seq === ride.childSeq)!.etaTs!
    const serverMinutes = (Date.parse(predicted) - clock.now().getTime()) / 60_000
    const shownMinutes = Number(await value.getAttribute('data-minutes'))
    expect(Math.abs(shownMinutes - serverMinutes)).toBeLessThanOrEqual(1.5)
    expect(await value.textContent()).toBe(`${shownMinutes} min`)
    expect(await page.locator('#eta-detail').textContent()).toMatch(/^Last report \d\d:\d\d/)

    const scan = await fetch(`${platform.httpUrl}/api/trips/${ride.trip.id}/boardings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.attendant}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: randomUUID(),
        pupilId: ride.pupilId,
        action: 'boarded',
        stopId: ride.trip.stops[2]!.stopId,
        scannedAt: clock.now().toISOString(),
      }),
    })
    expect(scan.status).toBe(201)
    const boarded = page.locator('.notice[data-kind="boarded"]')
    await boarded.waitFor({ timeout: 10_000 })
    expect(await boarded.textContent()).toContain(`${ride.childName} got on the bus at ${ride.childStopName}`)

    // Usable on a 360-pixel phone: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    await page.screenshot({ path: path.join(artifactsDir, 'parent-page.png') })

    await page.locator('#language').click()
    expect(await page.locator('#eta-label').textContent()).toBe(`到「${ride.childStopName}」还要`)
    expect(await boarded.textContent()).toContain(`${ride.childName} 已在「${ride.childStopName}」上车`)
    await page.context().close()
  })

  it('draws the trip over the platform’s own roads: the road driven and ahead, the school, the child’s stop, the bus', async () => {
    const page = await openPage(`token=${tokens.parent}&pupil=${ride.pupilId}`)
    const mapElement = page.locator('#map')
    await waitFor(
      () => mapElement.getAttribute('data-road-count'),
      (n) => Number(n) > 0,
      'the roads under the map',
    )
    // No tile service: the streets around the route are the platform's own roads, on a canvas.
    expect(await page.locator('.leaflet-tile').count()).toBe(0)
    expect(await page.locator('.leaflet-roads-pane canvas').count()).toBe(1)
    const bus = page.locator('#bus-marker')
    await bus.waitFor({ state: 'visible', timeout: 20_000 })

    // The bus is between its first and second stops: some road behind it, more ahead.
    const driven = page.locator('path.route-driven')
    const ahead = page.locator('path.route-ahead')
    await waitFor(
      () => driven.getAttribute('data-points'),
      (n) => Number(n) >= 2,
      'the road driven',
    )
    expect(Number(await ahead.getAttribute('data-points'))).toBeGreaterThanOrEqual(2)
    const { stops: tripStops } = (await (
      await fetch(`${platform.httpUrl}/api/trips/${ride.trip.id}`, {
        headers: { authorization: `Bearer ${tokens.attendant}` },
      })
    ).json()) as { stops: { seq: number; name: string; lat: number; lon: number }[] }
    // A morning trip ends at the school's gate: the school is marked there, with its name.
    const gate = tripStops.at(-1)!
    const school = page.locator('.school-marker')
    expect(await school.count()).toBe(1)
    expect(await school.getAttribute('data-name')).toBe(gate.name)
    expect(Number(await school.getAttribute('data-lat'))).toBeCloseTo(gate.lat, 6)
    expect(Number(await school.getAttribute('data-lng'))).toBeCloseTo(gate.lon, 6)
    const childStop = page.locator('path.child-stop')
    expect(await childStop.getAttribute('data-name')).toBe(ride.childStopName)
    expect(await page.locator('.map-label.own').textContent()).toBe(`Your stop · ${ride.childStopName}`)
    // The other stops drawn are those at least three of the trip's pupils share: none that could
    // point to one other child's door.
    const roster = (await (
      await fetch(`${platform.httpUrl}/api/trips/${ride.trip.id}/roster`, {
        headers: { authorization: `Bearer ${tokens.attendant}` },
      })
    ).json()) as { pupils: { boardSeq: number; alightSeq: number }[] }
    const ridersAt = (seq: number) =>
      roster.pupils.filter((pupil) => pupil.boardSeq === seq || pupil.alightSeq === seq).length
    const childSeq = tripStops.find((stop) => stop.name === ride.childStopName)!.seq
    const shared = tripStops.filter(
      (stop) => stop.seq !== childSeq && stop !== gate && ridersAt(stop.seq) >= 3,
    )
    const drawn = await page
      .locator('path.stop')
      .evaluateAll((paths) => paths.map((path) => path.getAttribute('data-name')))
    expect(shared.length).toBeGreaterThan(0)
    expect(drawn.sort()).toEqual(shared.map((stop) => stop.name).sort())

    // A 360-pixel phone in both languages (a desktop's screen below).
    const zoomIn = page.locator('.leaflet-control-zoom-in')
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    await page.screenshot({ path: path.join(artifactsDir, 'parent-map-360-en.png') })
    await page.locator('#language').click()
    // The label in the other language replaces the first, which fades out.
    await waitFor(
      () => page.locator('.map-label.own').allTextContents(),
      (labels) => labels.length === 1 && labels[0] === `您的站点 · ${ride.childStopName}`,
      'the child’s stop in Chinese',
    )
    expect(await zoomIn.getAttribute('title')).toBe('放大')
    await page.screenshot({ path: path.join(artifactsDir, 'parent-map-360-zh.png') })

    // Zoomed in with a thumb-sized button, the map asks for the streets of the closer view.
    const button = (await zoomIn.boundingBox())!
    expect(Math.min(button.width, button.height)).toBeGreaterThanOrEqual(44)
    const zoomBefore = Number(await mapElement.getAttribute('data-road-zoom'))
    await zoomIn.click()
    await waitFor(
      () => mapElement.getAttribute('data-road-zoom'),
      (zoom) => Number(zoom) === zoomBefore + 1,
      'the roads of the zoomed view',
    )
    // Dragged by a finger, the map goes with it and then stays where it was put, the bus moving on.
    const before = (await school.boundingBox())!
    const box = (await mapElement.boundingBox())!
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2]
    await page.mouse.move(x, y)
    await page.mouse.down()
    await page.mouse.move(x + 60, y - 50, { steps: 8 })
    await page.mouse.up()
    const moved = await settledBox(school)
    expect(moved.x - before.x).toBeGreaterThanOrEqual(59)
    expect(moved.y - before.y).toBeLessThanOrEqual(-49)
    const busPlace = await bus.getAttribute('data-lat')
    await waitFor(
      () => bus.getAttribute('data-lat'),
      (lat) => lat !== busPlace,
      'the bus moving on',
    )
    expect(await school.boundingBox()).toEqual(moved)

    await page.context().close()

    const desk = await (
      await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' })
    ).newPage()
    await desk.goto(`${platform.httpUrl}/parent#token=${tokens.parent}&pupil=${ride.pupilId}`)
    await desk.locator('#bus-marker').waitFor({ state: 'visible', timeout: 20_000 })
    await waitFor(
      () => desk.locator('#map').getAttribute('data-road-count'),
      (n) => Number(n) > 0,
      'the roads on a desktop',
    )
    await desk.screenshot({ path: path.join(artifactsDir, 'parent-map-1280-en.png') })
    await desk.locator('#language').click()
    await desk.screenshot({ path: path.join(artifactsDir, 'parent-map-1280-zh.png') })
    await desk.context().close()
  })

  it('shows the boarding on a phone opened after it, from what the server recorded', async () => {
    // A new phone: nothing kept from before, and no live notice heard.
    const page = await openPage(`token=${tokens.parent}&pupil=${ride.pupilId}`)
    const boarded = page.locator('.notice[data-kind="boarded"]')
    await boarded.waitFor({ timeout: 20_000 })
    expect(await boarded.textContent()).toContain(`${ride.childName} got on the bus at ${ride.childStopName}`)
    expect(await page.evaluate(() => Object.keys(localStorage))).toContain('parent.notices')
    await page.screenshot({ path: path.join(artifactsDir, 'parent-page-opened-later.png') })
    await page.context().close()
  })

  it('shows first the child whose bus runs now, whoever the registers list first', async () => {
    const page = await openPage(`token=${tokens.twoChildren}`)
    await waitFor(
      () => page.locator('#eta').getAttribute('data-kind'),
      (kind) => kind === 'minutes',
      'the ETA panel',
    )
    expect(await page.locator('#child-line').textContent()).toContain(ride.childName)
    const picker = page.locator('#child-select')
    expect(await picker.isVisible()).toBe(true)
    expect(
      await picker.locator('option').evaluateAll((options) => options.map((o) => o.getAttribute('value'))),
    ).toEqual(ride.twoChildren.pupilIds.toReversed())
    await page.context().close()
  })

  it('says since when the bus has been silent instead of showing a stale bus', async () => {
    const context = await browser.newContext(phone)
    // The phone's clock runs on two and a half minutes: every report the page has is that old.
    await context.clock.install()
    const page = await context.newPage()
    await page.goto(`${platform.httpUrl}/parent#token=${tokens.parent}&pupil=${ride.pupilId}`)
    const eta = page.locator('#eta')
    await waitFor(
      () => eta.getAttribute('data-kind'),
      (kind) => kind === 'minutes',
      'the ETA panel',
    )
    expect(await page.locator('#bus-marker').isVisible()).toBe(true)

    await page.clock.fastForward('02:30')
    await waitFor(
      () => eta.getAttribute('data-kind'),
      (kind) => kind === 'no_signal',
      'the ETA panel',
    )
    expect(await page.locator('#eta-value').textContent()).toMatch(/^No signal from the bus since \d\d:\d\d$/)
    expect(await page.locator('#eta-value').getAttribute('data-minutes')).toBeNull()
    expect(await page.locator('#bus-marker').isVisible()).toBe(false)
    await page.screenshot({ path: path.join(artifactsDir, 'parent-page-silent.png') })
    await context.close()
  })

  it('loses the bus within 5 s once the phone’s session is ended', async () => {
    const token = await platform.tokens.issue(ride.parent)
    const page = await openPage(`token=${token}&pupil=${ride.pupilId}`)
    await page.locator('#bus-marker').waitFor({ state: 'visible', timeout: 20_000 })
    const endedAt = Date.now()
    expect(
      await platform.tokens.sessions.revoke(sessionIdOf(token)!, { actor: 'admin', reason: 'phone lost' }),
    ).toBe(true)
    const error = page.locator('#error-page')
    await error.waitFor({ timeout: 5000 })
    expect(Date.now() - endedAt).toBeLessThan(5000)
    expect(await error.getAttribute('data-kind')).toBe('unauthenticated')
    expect(await page.locator('#bus-marker').isVisible()).toBe(false)
    await page.context().close()
  })

  it('shows the error page, not the map, for an altered link', async () => {
    const [header, payload, signature] = tokens.parent.split('.') as [string, string, string]
    const altered = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`
    const page = await openPage(`token=${altered}`)
    const error = page.locator('#error-page')
    await error.waitFor({ timeout: 10_000 })
    expect(await error.getAttribute('data-kind')).toBe('unauthenticated')
    expect(await page.locator('#error-title').textContent()).toBe('This link is not valid or has expired')
    expect(await page.locator('#error-title-other').textContent()).toBe('链接无效或已过期')
    expect(await page.locator('#map').isVisible()).toBe(false)
    await page.screenshot({ path: path.join(artifactsDir, 'parent-page-refused.png') })
    await page.context().close()
  })

  it('shows the error page to a parent asking for a child and bus not theirs', async () => {
    const page = await openPage(`token=${tokens.otherParent}&pupil=${ride.pupilId}`)
    const error = page.locator('#error-page')
    await error.waitFor({ timeout: 10_000 })
    expect(await error.getAttribute('data-kind')).toBe('forbidden')
    expect(await page.locator('#bus-marker').isVisible()).toBe(false)
    await page.context().close()
  })

  it('shows a change of bus on a phone opened after it, from what the server kept', async () => {
    const bureau = await platform.tokens.issue({ role: 'bureau', sub: 'bureau-admin' })
    const asBureau = (method: string, apiPath: string, body?: unknown) =>
      fetch(`${platform.httpUrl}${apiPath}`, {
        method,
        headers: { authorization: `Bearer ${bureau}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    const { buses } = (await (await asBureau('GET', '/api/buses')).json()) as {
      buses: { id: string; plate: string }[]
    }
    const spare = buses.find((bus) => bus.id !== ride.trip.busId)!
    expect((await asBureau('PATCH', `/api/trips/${ride.trip.id}`, { busId: spare.id })).status).toBe(200)
    try {
      // A phone that was not listening when the bus was changed: a new page, nothing kept before.
      const page = await openPage(`token=${tokens.parent}&pupil=${ride.pupilId}`)
      const changed = page.locator('.notice[data-kind="bus_changed"]')
      await changed.waitFor({ timeout: 20_000 })
      expect(await changed.textContent()).toContain(`The bus has changed: now ${spare.plate}`)
      expect(await changed.count()).toBe(1)
      await page.locator('#language').click()
      expect(await changed.textContent()).toContain(`换车了：现在是 ${spare.plate}`)
      await page.screenshot({ path: path.join(artifactsDir, 'parent-page-bus-changed.png') })
      await page.context().close()
    } finally {
      await asBureau('PATCH', `/api/trips/${ride.trip.id}`, { busId: ride.trip.busId })
    }
  })

  it('blocked nothing under the pages’ content security policy', () => {
    expect(contentSecurityViolations(browser)).toEqual([])
  })
})
