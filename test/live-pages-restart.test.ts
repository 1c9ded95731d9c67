import { randomUUID } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCixiWorld, type CixiWorld, type Trip } from '../fixtures/cixi-world.js'
import type { Principal } from '../server/core/auth/principal.js'
import type { Clock } from '../server/core/clock/clock.js'
import { loadConfig } from '../server/core/config/load-config.js'
import { createLogger } from '../server/core/log/logger.js'
import { startPlatform, type Platform } from '../server/start-platform.js'
import { contentSecurityViolations, launchChromium, testChromiumPath } from './support/browser.js'
import { schoolDayClock } from './support/school-day-clock.js'
import { waitFor } from './support/wait-for.js'

/**
 * The live pages across a restart of the server: the platform stops and starts again on the same
 * port and data under an open parent page and an open attendant page. Meanwhile each says that it
 * has lost the server (the parent's does not blame the bus, however long it lasts); once the
 * server is back each reconnects by itself, without a reload, and takes the bus's current state
 * and what is new from the server.
 */
const chromiumPath = testChromiumPath()
const artifactsDir = path.resolve('artifacts')
const phone = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, locale: 'en-US' }
/** Long enough for a stop, a start and the pages' backoff, which tops out at 15 s give or take half. */
const backMs = 60_000

/**
 * A morning trip with pupils getting on at its second and third stops, watched from a minute and a
 * half before the bus reaches its second stop: it is on its way for the whole suite.
 */
function pickRide(world: CixiWorld) {
  const trip = world.trips.find(
    (t): t is Trip =>
      t.direction === 'to_school' &&
      t.stops.length >= 4 &&
      t.stops[1]!.board.length > 0 &&
      t.stops[2]!.board.length > 0,
  )
  if (!trip)
    throw new Error('the fixture world has no morning trip with pupils at its second and third stops')
  const pupilId = trip.stops[2]!.board[0]!
  const guardian = world.guardians.find((g) => g.pupilIds.includes(pupilId))!
  const attendant = world.staff.find((s) => s.role === 'attendant' && s.busId === trip.busId)!
  const [h, m, s] = trip.stops[1]!.arrive.split(':').map(Number) as [number, number, number]
  const watchFromS = h * 3600 + m * 60 + s - 90
  const pad = (n: number) => String(n).padStart(2, '0')
  return {
    trip,
    pupilId,
    childName: world.pupils.find((p) => p.id === pupilId)!.name,
    /** Another pupil of the bus, scanned by the other phone once the server is back. */
    otherPupilId: trip.stops[1]!.board[0]!,
    localTime: `${pad(Math.floor(watchFromS / 3600))}:${pad(Math.floor((watchFromS % 3600) / 60))}`,
    parent: { role: 'parent', sub: guardian.id, pupilIds: guardian.pupilIds } satisfies Principal,
    attendant: { role: 'attendant', sub: attendant.id, busId: trip.busId } satisfies Principal,
  }
}

describe.skipIf(!chromiumPath)('the live pages across a restart of the server', () => {
  let dataDir: string
  let platform: Platform
  let browser: Browser
  let clock: Clock
  let ride: ReturnType<typeof pickRide>
  let port: number
  const tokens = { parent: '', attendant: '' }
  const pageErrors: string[] = []

  const start = (httpPort: number) =>
    startPlatform({
      config: loadConfig({
        DATA_DIR: dataDir,
        PORT: String(httpPort),
        MQTT_PORT: '0',
        JT808_PORT: '0',
        LOG_LEVEL: 'silent',
        SIMULATOR_FLEET: 'cixi',
      }),
      log: createLogger({ level: 'silent' }),
      // The same clock across the restart: the day goes on where it was.
      clock,
    })

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stp-live-restart-'))
    await fs.mkdir(artifactsDir, { recursive: true })
    ride = pickRide(await loadCixiWorld())
    clock = schoolDayClock(ride.localTime)
    ;[platform, browser] = await Promise.all([start(0), launchChromium(chromiumPath!)])
    port = Number(new URL(platform.httpUrl!).port)
    tokens.parent = await platform.tokens.issue(ride.parent)
    tokens.attendant = await platform.tokens.issue(ride.attendant)
  }, 90_000)

  afterAll(async () => {
    await browser?.close()
    await platform?.stop()
    await fs.rm(dataDir, { recursive: true, force: true })
  })

  const openPage = async (route: string, options: { fakeClock?: boolean } = {}) => {
    const context: BrowserContext = await browser.newContext(phone)
    if (options.fakeClock) await context.clock.install()
    const page = await context.newPage()
    page.on('pageerror', (error) => pageErrors.push(error.message))
    await page.goto(`${platform.httpUrl}${route}`)
    return page
  }
  const etaKind = (page: Page) => page.locator('#eta').getAttribute('data-kind')
  const waitForEtaKind = (page: Page, kind: string, timeoutMs?: number) =>
    waitFor(
      () => etaKind(page),
      (shown) => shown === kind,
      `the parent's ETA panel (${kind})`,
      timeoutMs,
    )
  const connectionOf = async (page: Page) => ({
    state: await page.locator('#connection').getAttribute('data-state'),
    text: await page.locator('#connection').textContent(),
  })
  const scanByTheOtherPhone = async (pupilId: string) => {
    const response = await fetch(`${platform.httpUrl}/api/trips/${ride.trip.id}/boardings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.attendant}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: randomUUID(),
        pupilId,
        action: 'boarded',
        scannedAt: clock.now().toISOString(),
      }),
    })
    expect(response.status).toBe(201)
  }

  it('says each page lost the server while it is down, then reconnects and catches up by itself', async () => {
    const parentRoute = `/parent#token=${tokens.parent}&pupil=${ride.pupilId}`
    const parent = await openPage(parentRoute)
    // A second phone of the family, whose clock is moved on while the server is down.
    const otherPhone = await openPage(parentRoute, { fakeClock: true })
    const attendant = await openPage(`/attendant/#token=${tokens.attendant}`)
    await Promise.all([waitForEtaKind(parent, 'minutes'), waitForEtaKind(otherPhone, 'minutes')])
    await attendant.locator('.pupil').first().waitFor({ timeout: 20_000 })
    await waitFor(
      () => connectionOf(attendant),
      (c) => c.state === 'online',
      'the attendant page online',
    )
    expect(await parent.locator('#connection').isHidden()).toBe(true)

    const stopStartedMs = Date.now()
    await platform.stop()
    // Bounded: a page's open connections do not hold the stop.
    expect(Date.now() - stopStartedMs).toBeLessThan(20_000)
    const markerWhenStopped = await parent.locator('#bus-marker').getAttribute('data-report-ts')
    expect(markerWhenStopped).not.toBeNull()

    // The parent's page says it has lost the server; it does not blame the bus.
    await waitForEtaKind(parent, 'no_contact', 10_000)
    expect(await parent.locator('#eta-value').textContent()).toBe('No contact with the server')
    expect(await parent.locator('#connection').textContent()).toBe(
      'This page lost contact with the server; retrying…',
    )
    expect(await parent.locator('#error-page').isVisible()).toBe(false)
    // However long it lasts: two and a half minutes later by the phone's clock, still the page's fault.
    await waitForEtaKind(otherPhone, 'no_contact', 10_000)
    await otherPhone.clock.fastForward('02:30')
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect(await etaKind(otherPhone)).toBe('no_contact')
    expect(await otherPhone.locator('#eta-value').textContent()).not.toMatch(/signal/i)
    await otherPhone.context().close()
    await parent.screenshot({ path: path.join(artifactsDir, 'parent-page-server-lost.png') })

    // The attendant's page is not online with its live channel gone, and keeps its scans.
    const lost = await waitFor(
      () => connectionOf(attendant),
      (c) => c.state === 'offline',
      'the attendant page offline',
      10_000,
    )
    expect(lost.text).toMatch(/^(Live link to the server lost, reconnecting|Offline)/)
    await attendant.screenshot({ path: path.join(artifactsDir, 'attendant-server-lost.png') })

    platform = await start(port)
    expect(new URL(platform.httpUrl!).port).toBe(String(port))

    // Both come back without a reload, and the parent's takes new positions and ETAs.
    await waitForEtaKind(parent, 'minutes', backMs)
    await waitFor(
      () => parent.locator('#connection').isHidden(),
      (hidden) => hidden,
      'the parent page back in contact',
    )
    await waitFor(
      () => parent.locator('#bus-marker').getAttribute('data-report-ts'),
      (place) => place !== markerWhenStopped,
      'a new position on the parent page',
    )
    const value = parent.locator('#eta-value')
    const firstRemainingS = await value.getAttribute('data-remaining-s')
    await waitFor(
      () => value.getAttribute('data-remaining-s'),
      (s) => s !== firstRemainingS,
      'a new ETA on the parent page',
    )
    await waitFor(
      () => connectionOf(attendant),
      (c) => c.state === 'online',
      'the attendant page online again',
      backMs,
    )

    // Subscribed again: the child's boarding reaches the parent, the other phone's scan the attendant.
    await scanByTheOtherPhone(ride.pupilId)
    const boarded = parent.locator('.notice[data-kind="boarded"]')
    await boarded.waitFor({ timeout: 10_000 })
    expect(await boarded.textContent()).toContain(`${ride.childName} got on the bus`)
    await scanByTheOtherPhone(ride.otherPupilId)
    await waitFor(
      () => attendant.locator(`.pupil[data-pupil-id="${ride.otherPupilId}"]`).getAttribute('data-status'),
      (status) => status === 'on_board',
      'the other phone’s scan on the attendant page',
    )
    await parent.screenshot({ path: path.join(artifactsDir, 'parent-page-server-back.png') })
    await attendant.screenshot({ path: path.join(artifactsDir, 'attendant-server-back.png') })
    expect(pageErrors).toEqual([])
  }, 240_000)

  it('blocked nothing under the pages’ content security policy', () => {
    expect(contentSecurityViolations(browser)).toEqual([])
  })
})
