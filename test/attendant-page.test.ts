import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCixiWorld, type CixiWorld, type Trip } from '../fixtures/cixi-world.js'
import type { Principal } from '../server/core/auth/principal.js'
import { connectBroker } from '../server/core/broker/connect-broker.js'
import type { Clock } from '../server/core/clock/clock.js'
import { loadConfig } from '../server/core/config/load-config.js'
import { createLogger } from '../server/core/log/logger.js'
import { formatPupilCode } from '../server/core/registers/pupil-code.js'
import { startPlatform, type Platform } from '../server/start-platform.js'
import { contentSecurityViolations, launchChromium, testChromiumPath } from './support/browser.js'
import { fakeCameraArgs, writeStillVideo } from './support/fake-camera.js'
import { drawQrCode, encodeQrCode } from './support/qr-code.js'
import { schoolDayClock } from './support/school-day-clock.js'
import { waitFor } from './support/wait-for.js'

/**
 * The attendant page in headless Chromium on a phone-sized screen, against the whole platform with
 * its simulated fleet: the day's trips and the roster by stop, scans by tap and by typed code, a
 * pupil of another bus, a pupil card shown to the phone's camera, scans made with no connection that reach the server once each when it
 * returns, a second phone on the same bus, the end of a trip with a child still on board, and the
 * child-left-on-bus alarm raised by a bus standing at its last stop with the engine off.
 */
const chromiumPath = testChromiumPath()
const artifactsDir = path.resolve('artifacts')
const phone = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, locale: 'en-US' }
const standstillS = 10

const hhmm = (seconds: number) =>
  `${String(Math.floor(seconds / 3600)).padStart(2, '0')}:${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}`
const secondsOf = (time: string) => {
  const [h, m, s] = time.split(':').map(Number) as [number, number, number]
  return h * 3600 + m * 60 + (s ?? 0)
}

/**
 * Bus A: the first morning trip of the day with pupils at its first two stops; the suite runs as
 * it leaves its first stop. Bus B: a bus whose day starts over an hour later, so the simulator has
 * its terminal asleep and the suite alone speaks for it.
 */
function pickBuses(world: CixiWorld) {
  const firstStartS = (busId: string) =>
    Math.min(...world.trips.filter((t) => t.busId === busId).map((t) => secondsOf(t.stops[0]!.arrive)))
  const trip = world.trips
    .filter(
      (t): t is Trip =>
        t.direction === 'to_school' &&
        t.stops.length >= 4 &&
        t.stops[0]!.board.length >= 5 &&
        t.stops[1]!.board.length >= 2 &&
        secondsOf(t.stops[0]!.arrive) === firstStartS(t.busId),
    )
    .sort((a, b) => secondsOf(a.stops[0]!.arrive) - secondsOf(b.stops[0]!.arrive))[0]
  if (!trip) throw new Error('the fixture world has no morning trip with pupils at its first two stops')
  const startS = secondsOf(trip.stops[0]!.arrive)
  const tripB = world.trips
    .filter((t) => firstStartS(t.busId) >= startS + 3600 && t.stops[0]!.board.length > 0)
    .sort((a, b) => secondsOf(a.stops[0]!.arrive) - secondsOf(b.stops[0]!.arrive))[0]
  if (!tripB) throw new Error('the fixture world has no bus starting an hour after the first')
  const pupil = (id: string) => world.pupils.find((p) => p.id === id)!
  const attendantOf = (busId: string): Principal => ({
    role: 'attendant',
    sub: world.staff.find((s) => s.role === 'attendant' && s.busId === busId)!.id,
    busId,
  })
  const lastStopB = world.stops.find((s) => s.id === tripB.stops.at(-1)!.stopId)!
  return {
    trip,
    localTime: hhmm(startS),
    atFirst: trip.stops[0]!.board.map(pupil),
    atSecond: trip.stops[1]!.board.map(pupil),
    attendant: attendantOf(trip.busId),
    tripB,
    pupilB: pupil(tripB.stops[0]!.board[0]!),
    plateB: world.buses.find((bus) => bus.id === tripB.busId)!.plate,
    attendantB: attendantOf(tripB.busId),
    lastStopB: lastStopB.location,
  }
}

describe.skipIf(!chromiumPath)('the attendant page in Chromium', () => {
  let dataDir: string
  let platform: Platform
  let browser: Browser
  let clock: Clock
  let buses: ReturnType<typeof pickBuses>
  const tokens = { attendant: '', attendantB: '' }
  let context: BrowserContext
  let page: Page
  const pageErrors: string[] = []

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stp-attendant-page-'))
    await fs.mkdir(artifactsDir, { recursive: true })
    buses = pickBuses(await loadCixiWorld())
    clock = schoolDayClock(buses.localTime)
    // The phone's camera films a pupil card.
    const video = { width: 640, height: 480 }
    const cardVideo = path.join(dataDir, 'pupil-card.y4m')
    const card = drawQrCode(encodeQrCode(buses.atFirst[4]!.code), { ...video, modulePx: 10 })
    await writeStillVideo(cardVideo, card, video)
    const config = loadConfig({
      DATA_DIR: dataDir,
      PORT: '0',
      MQTT_PORT: '0',
      JT808_PORT: '0',
      LOG_LEVEL: 'silent',
      SIMULATOR_FLEET: 'cixi',
      LEFT_ON_BUS_AFTER_S: String(standstillS),
    })
    ;[platform, browser] = await Promise.all([
      startPlatform({ config, log: createLogger({ level: 'silent' }), clock }),
      launchChromium(chromiumPath!, { args: fakeCameraArgs(cardVideo) }),
    ])
    tokens.attendant = await platform.tokens.issue(buses.attendant)
    tokens.attendantB = await platform.tokens.issue(buses.attendantB)
  }, 90_000)

  afterAll(async () => {
    await browser?.close()
    await platform?.stop()
    await fs.rm(dataDir, { recursive: true, force: true })
  })

  const api = async <T>(
    token: string,
    route: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${platform.httpUrl}${route}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json()) as T }
  }
  type Boardings = { boardings: { id: string; pupilId: string; action: string; stopId: string | null }[] }
  const serverBoardings = async () =>
    (await api<Boardings>(tokens.attendant, `/api/trips/${buses.trip.id}/boardings`)).body.boardings
  type Events = {
    events: {
      busId: string
      ts: string
      details: { reason: string; pupils: { pupilId: string }[] }
      acknowledgedBy: string | null
      acknowledgedAt: string | null
    }[]
  }

  const openPhone = async (token: string) => {
    const phoneContext = await browser.newContext(phone)
    const phonePage = await phoneContext.newPage()
    phonePage.on('pageerror', (error) => pageErrors.push(error.message))
    await phonePage.goto(`${platform.httpUrl}/attendant/#token=${token}`)
    return { context: phoneContext, page: phonePage }
  }
  const row = (p: Page, pupilId: string) => p.locator(`.pupil[data-pupil-id="${pupilId}"]`)
  const tap = (p: Page, pupilId: string) =>
    p.locator(`#roster button.act[data-pupil-id="${pupilId}"]`).click()
  const statusOf = (p: Page, pupilId: string) => row(p, pupilId).getAttribute('data-status')
  const count = async (p: Page, which: 'on-board' | 'expected' | 'missing') =>
    Number(await p.locator(`#count-${which}`).textContent())
  const queuedOn = async (p: Page) => Number(await p.locator('#connection').getAttribute('data-queued'))
  const currentSeq = async (p: Page) =>
    Number(await p.locator('.stop-group[data-current="true"]').getAttribute('data-seq'))
  /** The attendant says where the bus is, which every scan then records, whatever its GPS says. */
  const pinStop = async (p: Page, seq: number) => {
    await p.locator('#stop-forward').click()
    while ((await currentSeq(p)) > seq) await p.locator('#stop-back').click()
    while ((await currentSeq(p)) < seq) await p.locator('#stop-forward').click()
    expect(await p.locator('#at-stop-source').textContent()).toBe('set by you')
  }
  const shot = (p: Page, name: string) => p.screenshot({ path: path.join(artifactsDir, name) })

  it('shows today’s trips and the running trip’s roster by stop, in driving order', async () => {
    ;({ context, page } = await openPhone(tokens.attendant))
    expect(page.url()).not.toContain('token=')
    await page.locator('.pupil').first().waitFor({ timeout: 20_000 })
    const tab = page.locator(`.trip-tab[data-trip-id="${buses.trip.id}"]`)
    expect(await tab.getAttribute('data-state')).toBe('running')
    expect(await tab.getAttribute('aria-pressed')).toBe('true')

    const seqs = await page
      .locator('.stop-group')
      .evaluateAll((groups) => groups.map((g) => g.getAttribute('data-seq')))
    expect(seqs).toEqual(buses.trip.stops.map((_, i) => String(i + 1)))
    const firstGroup = page.locator('.stop-group[data-seq="1"] .pupil')
    expect(
      (await firstGroup.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-pupil-id')))).sort(),
    ).toEqual(buses.atFirst.map((p) => p.id).sort())
    const riders = buses.trip.stops.reduce((n, s) => n + s.board.length, 0)
    expect(await count(page, 'expected')).toBe(riders)
    expect(await count(page, 'on-board')).toBe(0)
    // The school closes the morning list.
    expect(await page.locator('.stop-group').last().locator('h3').textContent()).toContain('School')

    // Large targets on a 360-pixel phone, nothing wider than the screen.
    // Measured once laid out: the service worker taking over the page asks for everything again.
    const heights = await waitFor(
      () =>
        page
          .locator('button.act, #mark, #scan, #stop-back, #end-trip')
          .evaluateAll((buttons) =>
            buttons.map((b) => [b.id || b.className, b.getBoundingClientRect().height] as const),
          ),
      (measured) => measured.every(([, h]) => h > 0),
      'the buttons laid out',
    )
    expect(heights.filter(([, h]) => h < 48)).toEqual([])
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    await shot(page, 'attendant-roster.png')

    await page.locator('#language').click()
    expect(await page.locator('#label-on-board').textContent()).toBe('车上')
    expect(await page.locator('#roster button.act').first().textContent()).toBe('上车')
    expect(await page.locator('.stop-group').last().locator('h3').textContent()).toContain('学校')
    await shot(page, 'attendant-roster-zh.png')
    await page.locator('#language').click()
    expect(await page.locator('#label-on-board').textContent()).toBe('On board')
  })

  it('marks pupils on board by a tap, a typed code or the camera, counts them, and flags a wrong stop or bus', async () => {
    const [ann, bo, , , gil] = buses.atFirst
    const cai = buses.atSecond[0]!
    await pinStop(page, 1)

    await tap(page, ann!.id)
    await waitFor(
      () => statusOf(page, ann!.id),
      (s) => s === 'on_board',
      'the tapped pupil',
    )
    expect(await page.locator('#result').textContent()).toBe(`${ann!.name} is on board`)
    expect(await count(page, 'on-board')).toBe(1)

    await page.locator('#code-input').fill(bo!.code.toLowerCase())
    await page.locator('#mark').click()
    await waitFor(
      () => statusOf(page, bo!.id),
      (s) => s === 'on_board',
      'the pupil whose code was typed',
    )
    expect(await count(page, 'on-board')).toBe(2)

    // A pupil of the second stop getting on at the first: recorded, and flagged at once.
    await tap(page, cai.id)
    await waitFor(
      () => statusOf(page, cai.id),
      (s) => s === 'on_board',
      'the pupil at the wrong stop',
    )
    expect(await page.locator('#result').textContent()).toContain(`Wrong stop: ${cai.name}`)
    expect(await row(page, cai.id).getAttribute('data-flags')).toContain('wrong_stop')
    expect(await count(page, 'on-board')).toBe(3)

    await page.locator('#scan').click()
    expect(await page.locator('#camera').isVisible()).toBe(true)
    await waitFor(
      () => statusOf(page, gil!.id),
      (s) => s === 'on_board',
      'the pupil whose card the camera saw',
    )
    expect(await page.locator('#camera-result').textContent()).toBe(`${gil!.name} is on board`)
    await shot(page, 'attendant-camera.png')
    await page.locator('#camera-close').click()
    expect(await page.locator('#camera').isVisible()).toBe(false)
    expect(await count(page, 'on-board')).toBe(4)

    // The bus moves on: those of the first stop not on board are missing.
    await pinStop(page, 2)
    expect(await count(page, 'missing')).toBe(buses.atFirst.length - 3)

    await page.locator('#code-input').fill(buses.pupilB.code)
    await page.locator('#mark').click()
    await waitFor(
      () => page.locator('#result').textContent(),
      (text) => text === `This pupil rides ${buses.plateB} today`,
      'the answer for a pupil of another bus: the bus to send them to',
    )
    expect(await page.locator('#result').getAttribute('data-tone')).toBe('bad')
    expect(await page.locator('#refused-list li').count()).toBe(1)

    // A code no pupil has is another case than another bus's pupil, in either language, and
    // never the server's English message.
    const unknownCode = formatPupilCode(99_999_990)
    const refusalOfUnknown = async (expected: string, lines: number) => {
      await page.locator('#code-input').fill(unknownCode)
      await page.locator('#mark').click()
      await waitFor(
        () => page.locator('#result').textContent(),
        (text) => text === expected,
        `the answer for an unknown code: ${expected}`,
      )
      expect(await page.locator('#refused-list li').count()).toBe(lines)
      expect(await page.locator('#refused-list li').first().textContent()).toContain(
        `${unknownCode}: ${expected}`,
      )
      expect(await page.locator('#refused').textContent()).not.toContain('no pupil has the code')
    }
    await refusalOfUnknown('No pupil has this code: check the card or type it again', 2)
    await shot(page, 'attendant-unknown-code-en.png')
    await page.locator('#language').click()
    await refusalOfUnknown('没有这个学生码：请核对卡片或重新输入', 3)
    await shot(page, 'attendant-unknown-code-zh.png')
    await page.locator('#language').click()

    await waitFor(
      () => queuedOn(page),
      (n) => n === 0,
      'the queue',
    )
    const stored = await serverBoardings()
    const stopIds = buses.trip.stops.map((s) => s.stopId)
    expect(stored.map((b) => [b.pupilId, b.action, b.stopId])).toEqual([
      [ann!.id, 'boarded', stopIds[0]],
      [bo!.id, 'boarded', stopIds[0]],
      [cai.id, 'boarded', stopIds[0]],
      [gil!.id, 'boarded', stopIds[0]],
    ])
    await shot(page, 'attendant-scans.png')
  })

  it('keeps working with no connection, and sends the scans once each, in order, when it returns', async () => {
    const [, , dan, eve] = buses.atFirst
    const fay = buses.atSecond[1]!
    await page.locator('html[data-offline-ready="true"]').waitFor({ timeout: 20_000 })
    const posted: string[] = []
    // What reached the server, in the order it was stored (tries that found no network are not).
    page.on('response', (response) => {
      const request = response.request()
      if (request.method() === 'POST' && request.url().endsWith('/boardings') && response.status() === 201)
        posted.push((request.postDataJSON() as { pupilId: string }).pupilId)
    })

    await context.setOffline(true)
    // Opened again with no connection: the service worker has the page and its last answers.
    await page.reload()
    await page.locator('.pupil').first().waitFor({ timeout: 10_000 })
    expect(await page.locator('#connection').getAttribute('data-state')).toBe('offline')
    expect(await count(page, 'on-board')).toBe(4)
    await pinStop(page, 1)
    await tap(page, dan!.id)
    await tap(page, eve!.id)
    await waitFor(
      () => queuedOn(page),
      (n) => n === 2,
      'the queue on the phone',
    )
    expect(await row(page, dan!.id).getAttribute('data-pending')).toBe('true')
    expect(await statusOf(page, eve!.id)).toBe('on_board')
    expect(await count(page, 'on-board')).toBe(6)
    // The queue outlives a reload.
    await page.reload()
    await page.locator('.pupil').first().waitFor({ timeout: 10_000 })
    expect(await queuedOn(page)).toBe(2)
    expect(await row(page, eve!.id).getAttribute('data-pending')).toBe('true')
    // So is the stop the attendant set.
    expect(await page.locator('#at-stop-source').textContent()).toBe('set by you')
    await row(page, dan!.id).scrollIntoViewIfNeeded()
    await shot(page, 'attendant-offline.png')

    // Meanwhile the bus's second phone, online, records another pupil.
    const second = await openPhone(tokens.attendant)
    await second.page.locator('.pupil').first().waitFor({ timeout: 20_000 })
    await tap(second.page, fay.id)
    await waitFor(
      () => queuedOn(second.page),
      (n) => n === 0,
      'the second phone’s queue',
    )

    await context.setOffline(false)
    await waitFor(
      () => queuedOn(page),
      (n) => n === 0,
      'the queue after the connection came back',
    )
    expect(posted).toEqual([dan!.id, eve!.id])
    // Each phone shows every scan: its own and the other's.
    await waitFor(
      () => statusOf(page, fay.id),
      (s) => s === 'on_board',
      'the other phone’s scan',
    )
    await second.page.reload()
    await waitFor(
      () => statusOf(second.page, dan!.id),
      (s) => s === 'on_board',
      'the first phone’s scan',
    )
    expect(await count(page, 'on-board')).toBe(7)
    expect(await count(second.page, 'on-board')).toBe(7)
    await second.context.close()

    const stored = await serverBoardings()
    for (const id of [dan!.id, eve!.id]) expect(stored.filter((b) => b.pupilId === id)).toHaveLength(1)
    // The phone's id makes a resent scan the same scan.
    const again = stored.find((b) => b.pupilId === dan!.id)!
    const resend = await api<{ duplicate: boolean }>(
      tokens.attendant,
      `/api/trips/${buses.trip.id}/boardings`,
      {
        id: again.id,
        pupilId: dan!.id,
        action: 'boarded',
        stopId: again.stopId,
        scannedAt: clock.now().toISOString(),
      },
    )
    expect(resend).toMatchObject({ status: 200, body: { duplicate: true } })
    expect((await serverBoardings()).filter((b) => b.pupilId === dan!.id)).toHaveLength(1)
  })

  it('ends the trip only after the empty-bus check, and a child left on board raises the alarm', async () => {
    const [ann] = buses.atFirst
    await page.locator('#end-trip').click()
    const dialog = page.locator('#end-dialog')
    await dialog.waitFor()
    expect(await page.locator('#end-on-board li').count()).toBe(7)
    expect(await page.locator('#end-confirm').isDisabled()).toBe(true)
    // Marked off from the list; the others are not, and ending raises the alarm.
    await page.locator(`#end-on-board button[data-pupil-id="${ann!.id}"]`).click()
    await waitFor(
      () => page.locator('#end-on-board li').count(),
      (n) => n === 6,
      'the list of pupils on board',
    )
    await page.locator('#confirm-empty').check()
    expect(await page.locator('#end-confirm').isDisabled()).toBe(false)
    expect(await page.locator('#end-confirm').textContent()).toContain('End anyway with 6 on board')
    await shot(page, 'attendant-end-check.png')
    await page.locator('#end-confirm').click()

    const alarm = page.locator('.alarm[data-acknowledged="false"]')
    await alarm.waitFor({ timeout: 10_000 })
    expect(await alarm.textContent()).toContain('The trip was ended with pupils not marked off')
    await waitFor(() => page.locator('#ended').isVisible(), Boolean, 'the ended trip')
    expect(await page.locator('#end-trip').isVisible()).toBe(false)
    const { body } = await api<Events>(tokens.attendant, '/api/events?kind=child_left_on_bus')
    const raised = body.events.find((e) => e.busId === buses.trip.busId)!
    expect(raised.details.reason).toBe('trip_ended')
    expect(raised.details.pupils).toHaveLength(6)
    await page.evaluate(() => window.scrollTo(0, 0))
    await shot(page, 'attendant-trip-ended.png')
    await context.close()
  })

  it('shows the alarm of a bus standing at its last stop with the engine off, to acknowledge', async () => {
    const { tripB, pupilB, lastStopB } = buses
    const scan = await api(tokens.attendantB, `/api/trips/${tripB.id}/boardings`, {
      id: crypto.randomUUID(),
      pupilId: pupilB.id,
      action: 'boarded',
      stopId: tripB.stops[0]!.stopId,
      scannedAt: clock.now().toISOString(),
    })
    expect(scan.status).toBe(201)
    const phoneB = await openPhone(tokens.attendantB)
    await phoneB.page.locator('.trip-tab').first().waitFor({ timeout: 20_000 })
    expect(await phoneB.page.locator('.alarm').count()).toBe(0)

    const terminal = await connectBroker({
      url: platform.mqttUrl!,
      clientId: `terminal-${tripB.busId}`,
      password: await platform.tokens.issue({
        role: 'device',
        sub: `terminal-${tripB.busId}`,
        busId: tripB.busId,
      }),
    })
    const alarm = phoneB.page.locator('.alarm')
    const report = async () => {
      const fix = { ts: clock.now().toISOString(), ...lastStopB, speedKmh: 0, ignition: false }
      await terminal.publishAsync(`bus/${tripB.busId}/gps`, JSON.stringify(fix), { qos: 1 })
    }
    const reporting = setInterval(() => void report(), 1000)
    try {
      await report()
      await alarm.waitFor({ timeout: (standstillS + 50) * 1000 })
    } finally {
      clearInterval(reporting)
      await terminal.endAsync()
    }
    expect(await alarm.textContent()).toContain('The bus stands at its last stop, engine off')
    expect(await alarm.textContent()).toContain(pupilB.name)
    await shot(phoneB.page, 'attendant-alarm.png')

    await alarm.locator('.acknowledge').click()
    await phoneB.page.locator('.alarm[data-acknowledged="true"]').waitFor({ timeout: 10_000 })
    expect(await alarm.locator('.acknowledged').textContent()).toMatch(
      new RegExp(`^Acknowledged by ${buses.attendantB.sub} at \\d\\d:\\d\\d$`),
    )
    const { body } = await api<Events>(tokens.attendantB, '/api/events?kind=child_left_on_bus')
    const stored = body.events.find((e) => e.busId === tripB.busId)!
    expect(stored.details.reason).toBe('engine_off_at_last_stop')
    expect(stored.acknowledgedBy).toBe(buses.attendantB.sub)
    expect(Math.abs(Date.parse(stored.acknowledgedAt!) - clock.now().getTime())).toBeLessThan(60_000)
    await shot(phoneB.page, 'attendant-alarm-acknowledged.png')
    await phoneB.context.close()
    expect(pageErrors).toEqual([])
    // The standstill itself, the alarms part's checks and the page on a machine running other suites.
  }, 90_000)

  it('blocked nothing under the pages’ content security policy', () => {
    expect(contentSecurityViolations(browser)).toEqual([])
  })
})
