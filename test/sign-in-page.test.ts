import fs from 'node:fs/promises'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeStartLinks } from '../server/auth/write-start-links.js'
import { systemClock } from '../server/core/clock/clock.js'
import { toShanghaiTime } from '../server/core/clock/shanghai-time.js'
import type { Platform } from '../server/start-platform.js'
import { staffSessionKey } from '../web/shared/staff-session.js'
import { contentSecurityViolations, testChromiumPath } from './support/browser.js'
import { artifactsDir, startPageSuite, type PageSuite } from './support/page-suite.js'
import { schoolDayClock } from './support/school-day-clock.js'

/**
 * The staff sign-in page in headless Chromium against the whole platform: the first administrator's
 * one-time password from the start-links file, a wrong password told in the page's language, the
 * forced change of password, the registers page after it, signing out back to the sign-in page with
 * the session ended on the server, and the access page reached through `?next=` with an account made
 * there and its one-time password shown once.
 */
const chromiumPath = testChromiumPath()
const desk = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' }
const newPassword = 'a passphrase of my own'

describe.skipIf(!chromiumPath)('the sign-in page in Chromium', () => {
  let suite: PageSuite | undefined
  let dataDir: string
  let platform: Platform
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let oneTimePassword = ''
  let origin = ''

  const storedToken = () => page.evaluate((key) => localStorage.getItem(key), staffSessionKey)
  const me = async (token: string) =>
    (await fetch(`${origin}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status
  const signIn = async (username: string, password: string) => {
    await page.locator('#username').fill(username)
    await page.locator('#password').fill(password)
    await page.locator('#submit').click()
  }

  beforeAll(async () => {
    suite = await startPageSuite('sign-in-page', chromiumPath!)
    ;({ dataDir, platform, browser } = suite)
    origin = platform.httpUrl!
    const linksFile = await writeStartLinks({ ...platform, httpUrl: origin, clock: systemClock, dataDir })
    const links = await fs.readFile(linksFile, 'utf8')
    expect(links).toContain(`sign-in page (staff): ${origin}/sign-in`)
    expect(links).toContain(`registers (transport bureau, schools): ${origin}/registers\n`)
    expect(links).not.toMatch(/\/(registers|planner)#token=/)
    oneTimePassword = /one-time password: (\S+)/.exec(links)![1]!
    context = await browser.newContext(desk)
    page = await context.newPage()
  }, 180_000)

  afterAll(async () => {
    await suite?.stop()
  })

  it('tells a wrong password in the page’s language', async () => {
    await page.goto(`${origin}/sign-in`)
    await page.locator('#page[data-ready="true"]').waitFor()
    expect(await page.locator('#title').textContent()).toBe('工作人员登录')
    await signIn('admin', 'not the password')
    await page.locator('#error[data-problem="wrong"]').waitFor()
    expect(await page.locator('#error').textContent()).toBe('用户名或密码不正确。')
    await page.locator('#language').click()
    expect(await page.locator('#error').textContent()).toBe('Wrong username or password.')
    await page.screenshot({ path: path.join(artifactsDir, 'sign-in-wrong-password.png') })
    await page.locator('#language').click()
    expect(await storedToken()).toBe(null)
  })

  it('makes the administrator choose a password, then opens the registers', async () => {
    await signIn('admin', oneTimePassword)
    await page.locator('#new-password-fields').waitFor({ state: 'visible' })
    await page.locator('#error[data-problem="must_change"]').waitFor()
    await page.screenshot({ path: path.join(artifactsDir, 'sign-in-new-password.png') })
    await page.locator('#new-password').fill(newPassword)
    await page.locator('#repeat-password').fill('a different one entirely')
    await page.locator('#submit').click()
    await page.locator('#error[data-problem="mismatch"]').waitFor()
    await page.locator('#repeat-password').fill(newPassword)
    await page.locator('#submit').click()
    await page.waitForURL(`${origin}/registers`)
    await page.locator('#records tbody tr[data-key]').first().waitFor()
    expect(await page.locator('#who').textContent()).toContain('admin')
    const token = await storedToken()
    expect(token).toBeTruthy()
    expect(page.url()).not.toContain('token')
    expect(await me(token!)).toBe(200)
  })

  it('signs out: the session ends and the browser is back at sign-in', async () => {
    const token = (await storedToken())!
    await page.locator('#sign-out').click()
    await page.waitForURL(/\/sign-in\?signedOut=1$/)
    await page.locator('#notice').waitFor({ state: 'visible' })
    expect(await storedToken()).toBe(null)
    expect(await me(token)).toBe(401)
    // Without a session a staff page sends the browser to sign in, to come back afterwards.
    await page.goto(`${origin}/access`)
    await page.waitForURL(`${origin}/sign-in?next=%2Faccess`)
  })

  it('comes back to the access page and makes an account there, its password shown once', async () => {
    await signIn('admin', newPassword)
    await page.waitForURL(`${origin}/access`)
    await page.locator('#accounts tbody tr[data-username="admin"]').waitFor()
    await page.locator('#account-add').click()
    await page.locator('#account-username').fill('Head.Teacher')
    await page.locator('#account-name').fill('王校长')
    await page.locator('#account-role').selectOption('school')
    await page.locator('#account-save').click()
    await page.locator('#secret-dialog[open]').waitFor()
    const shown = await page.locator('#secret-values dd[data-name="password"]').textContent()
    expect(shown).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{14}$/)
    await page.screenshot({ path: path.join(artifactsDir, 'access-one-time-password.png') })
    await page.locator('#secret-close').click()
    await expect.poll(() => page.locator('#secret-values dd').count()).toBe(0)
    const created = page.locator('#accounts tbody tr[data-username="head.teacher"]')
    await created.waitFor()
    expect(await created.locator('.state').getAttribute('class')).toContain('must-change')

    await page.locator('#views button[data-view="audit"]').click()
    await page.locator('#audit tbody tr[data-action="account_created"]').first().waitFor()
    await page.locator('#views button[data-view="sessions"]').click()
    await page.locator('#sessions tbody tr[data-kind="staff"]').first().waitFor()
    await page.screenshot({ path: path.join(artifactsDir, 'access-sessions.png'), fullPage: true })
  })

  it('writes links to try the parent and attendant pages on a school morning, and names every page', async () => {
    const morning = schoolDayClock('06:30')
    const links = await fs.readFile(
      await writeStartLinks({ ...platform, httpUrl: origin, clock: morning, dataDir }),
      'utf8',
    )
    expect(links).toContain(`front door: ${origin}/\n`)
    expect(links).toContain(`enrolment letters (transport bureau, schools): ${origin}/letters\n`)
    expect(links).toContain(`API reference: ${origin}/api/docs\n`)
    const tokenOf = (name: string) => new RegExp(`${origin}/${name}/?#token=(\\S+)`).exec(links)?.[1]
    const principalOf = async (token: string | undefined) =>
      (await (await fetch(`${origin}/api/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        principal: { role: string; busId?: string }
      }
    expect((await principalOf(tokenOf('parent'))).principal.role).toBe('parent')
    const { principal } = await principalOf(tokenOf('attendant'))
    expect(principal.role).toBe('attendant')
    // The attendant of a bus that drives a trip today.
    const [trip] = await platform.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM trips WHERE bus_id = $1 AND $2::int = ANY (weekdays)',
      [principal.busId, toShanghaiTime(morning.now()).isoWeekday],
    )
    expect(trip!.n).toBeGreaterThan(0)
  })

  it('blocked nothing under the pages’ content security policy', () => {
    expect(contentSecurityViolations(browser)).toEqual([])
  })
})
