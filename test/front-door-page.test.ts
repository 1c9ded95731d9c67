import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCixiWorld, type CixiWorld } from '../fixtures/cixi-world.js'
import type { Platform } from '../server/start-platform.js'
import { staffSessionKey } from '../web/shared/staff-session.js'
import { contentSecurityViolations, testChromiumPath } from './support/browser.js'
import { artifactsDir, startPageSuite, type PageSuite } from './support/page-suite.js'

/**
 * The front door, `/`, in headless Chromium against the whole platform, on a phone and a desk, in
 * Chinese and English: with nobody signed in it offers sign-in and tells each page and whom it is
 * for; with a bureau session the bureau's pages, with a parent's phone session the parent page, and
 * never a pupil's name or code; within its content security policy throughout.
 */
const chromiumPath = testChromiumPath()
const phone = { width: 360, height: 780 }
const desk = { width: 1280, height: 900 }
const languages = [
  { lang: 'zh', locale: 'zh-CN', title: '校车服务平台', signIn: '登录' },
  { lang: 'en', locale: 'en-GB', title: 'School transport platform', signIn: 'Sign in' },
] as const
type Language = (typeof languages)[number]

describe.skipIf(!chromiumPath)('the front door in Chromium', () => {
  let suite: PageSuite | undefined
  let platform: Platform
  let browser: Browser
  let world: CixiWorld
  let origin = ''
  const tokens = { bureau: '', parent: '' }

  /** The front door in a fresh browser of this language and size, with `stored` in its localStorage. */
  async function openFrontDoor(
    language: Language,
    viewport: { width: number; height: number },
    stored: Record<string, string> = {},
  ): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: language.locale })
    await context.addInitScript((entries: Record<string, string>) => {
      for (const [key, value] of Object.entries(entries)) localStorage.setItem(key, value)
    }, stored)
    const page = await context.newPage()
    const answer = await page.goto(`${origin}/`)
    expect(answer?.status()).toBe(200)
    await page.locator('#page[data-ready="true"]').waitFor()
    expect(await page.locator('#title').textContent()).toBe(language.title)
    return page
  }

  const linkedPages = (page: Page) =>
    page
      .locator('#your-page-list li[data-page] a')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href')))

  /** Nothing of the children the parent's session covers on the page: no id, code or name. */
  async function expectNoPupil(page: Page) {
    const text = (await page.locator('body').innerHTML()) ?? ''
    const children = world.pupils.filter((pupil) => world.guardians[0]!.pupilIds.includes(pupil.id))
    expect(children.length).toBeGreaterThan(0)
    for (const pupil of children) {
      for (const told of [pupil.id, pupil.code, pupil.name]) expect(text).not.toContain(told)
    }
  }

  beforeAll(async () => {
    world = await loadCixiWorld()
    suite = await startPageSuite('front-door', chromiumPath!)
    ;({ platform, browser } = suite)
    origin = platform.httpUrl!
    const guardian = world.guardians[0]!
    tokens.bureau = await platform.tokens.issue({ role: 'bureau', sub: 'bureau-staff' })
    tokens.parent = await platform.tokens.issue({
      role: 'parent',
      sub: guardian.id,
      pupilIds: guardian.pupilIds,
    })
  }, 180_000)

  afterAll(async () => {
    await suite?.stop()
  })

  for (const language of languages) {
    for (const [size, viewport] of [
      ['phone', phone],
      ['desk', desk],
    ] as const) {
      it(`offers sign-in and tells every page to a visitor nobody signed in (${language.lang}, ${size})`, async () => {
        const page = await openFrontDoor(language, viewport)
        expect(await page.locator('#page').getAttribute('data-state')).toBe('signed-out')
        const signIn = page.locator('#sign-in-link')
        expect(await signIn.textContent()).toBe(language.signIn)
        expect(await signIn.getAttribute('href')).toBe('/sign-in')
        expect(await signIn.isVisible()).toBe(true)
        const described = await page
          .locator('#all-page-list li')
          .evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.page))
        expect(described).toEqual([
          'console',
          'registers',
          'planner',
          'reports',
          'letters',
          'access',
          'parent',
          'enrol',
          'attendant',
        ])
        // Told, not linked: without a session those pages would only send the visitor away again.
        expect(await page.locator('#all-page-list a').count()).toBe(0)
        for (const item of await page.locator('#all-page-list li').all())
          expect(((await item.locator('.page-who').textContent()) ?? '').length).toBeGreaterThan(3)
        expect(await page.locator('#your-pages').isVisible()).toBe(false)
        expect(await page.locator('#sign-out').isVisible()).toBe(false)
        expect(
          await page.locator('#feed-list a').evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
        ).toEqual(['/gtfs/today.zip', '/gtfs-rt/vehicle-positions', '/gtfs-rt/trip-updates'])
        // Nothing wider than the screen: a phone scrolls down, never sideways.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          viewport.width,
        )
        await page.screenshot({
          path: path.join(artifactsDir, `front-door-signed-out-${language.lang}-${size}.png`),
          fullPage: true,
        })
        await page.context().close()
      })

      it(`links the bureau's pages for bureau staff (${language.lang}, ${size})`, async () => {
        const page = await openFrontDoor(language, viewport, { [staffSessionKey]: tokens.bureau })
        expect(await page.locator('#page').getAttribute('data-state')).toBe('signed-in')
        expect(await linkedPages(page)).toEqual([
          '/bureau',
          '/registers',
          '/planner',
          '/reports',
          '/letters',
          '/access',
        ])
        expect(await page.locator('#who').textContent()).toContain('bureau-staff')
        expect(await page.locator('#sign-out').isVisible()).toBe(true)
        expect(await page.locator('#sign-in').isVisible()).toBe(false)
        expect(await page.locator('#all-pages').isVisible()).toBe(false)
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          viewport.width,
        )
        await page.screenshot({
          path: path.join(artifactsDir, `front-door-bureau-${language.lang}-${size}.png`),
          fullPage: true,
        })
        await page.context().close()
      })

      it(`links the parent page for a parent's phone, naming no pupil (${language.lang}, ${size})`, async () => {
        const page = await openFrontDoor(language, viewport, { 'parent.accessToken': tokens.parent })
        expect(await page.locator('#page').getAttribute('data-state')).toBe('signed-in')
        expect(await linkedPages(page)).toEqual(['/parent'])
        expect(await page.locator('#sign-out').isVisible()).toBe(false)
        // A parent is not staff: the way in for staff stays on offer.
        expect(await page.locator('#sign-in').isVisible()).toBe(true)
        await expectNoPupil(page)
        expect(await page.locator('#who').textContent()).not.toContain(world.guardians[0]!.id)
        await page.screenshot({
          path: path.join(artifactsDir, `front-door-parent-${language.lang}-${size}.png`),
          fullPage: true,
        })
        await page.context().close()
      })
    }
  }

  it('takes a session the server refuses for nobody signed in', async () => {
    const page = await openFrontDoor(languages[1], desk, {
      [staffSessionKey]: `${tokens.bureau.slice(0, -4)}AAAA`,
    })
    expect(await page.locator('#page').getAttribute('data-state')).toBe('signed-out')
    await page.context().close()
  })

  it('opens a linked page, and signs the staff out back to sign-in', async () => {
    const staffToken = await platform.tokens.issue({ role: 'bureau', sub: 'signing-out' })
    const page = await openFrontDoor(languages[0], desk, {})
    await page.evaluate(([key, token]) => localStorage.setItem(key, token), [
      staffSessionKey,
      staffToken,
    ] as const)
    await page.reload()
    await page.locator('#page[data-ready="true"]').waitFor()
    await page.locator('#your-page-list a[href="/registers"]').click()
    await page.waitForURL(`${origin}/registers`)
    await page.goto(`${origin}/`)
    await page.locator('#page[data-ready="true"]').waitFor()
    await page.locator('#sign-out').click()
    await page.waitForURL(/\/sign-in\?signedOut=1$/)
    const me = await fetch(`${origin}/api/me`, { headers: { authorization: `Bearer ${staffToken}` } })
    expect(me.status).toBe(401)
    await page.context().close()
  })

  it('kept within its content security policy', () => {
    expect(contentSecurityViolations(browser)).toEqual([])
  })
})
