import fs from 'node:fs/promises'
import path from 'node:path'
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCixiWorld, type CixiWorld } from '../fixtures/cixi-world.js'
import type { Platform } from '../server/start-platform.js'
import { contentSecurityViolations, testChromiumPath } from './support/browser.js'
import { artifactsDir, startPageSuite, type PageSuite } from './support/page-suite.js'

/**
 * The letters page and the enrolment page in headless Chromium against the whole platform on its
 * demo world: a school prints the letters of a pupil with two guardians (one page each); a guardian
 * opens a letter's link on a phone, mistypes the digits, then types them right and lands on the
 * parent page with a session of their own; an attendant opens a pairing link and lands on the
 * attendant page signed in.
 */
const chromiumPath = testChromiumPath()
const desk = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' }
const phone = { viewport: { width: 390, height: 844 }, locale: 'zh-CN', deviceScaleFactor: 2, isMobile: true }

describe.skipIf(!chromiumPath)('enrolment letters and phones in Chromium', () => {
  let suite: PageSuite | undefined
  let platform: Platform
  let browser: Browser
  let world: CixiWorld
  const contexts: BrowserContext[] = []
  const tokens = { school: '', bureau: '' }
  /** A pupil with two guardians, and the school's letters for that pupil. */
  let pupil: CixiWorld['pupils'][number]
  const codes: string[] = []

  const me = async (token: string) => {
    const response = await fetch(`${platform.httpUrl}/api/me`, {
      headers: { authorization: `Bearer ${token}` },
    })
    return {
      status: response.status,
      body: (await response.json()) as { principal: Record<string, unknown> },
    }
  }
  const newContext = async (options: typeof desk | typeof phone) => {
    const context = await browser.newContext(options)
    contexts.push(context)
    return context
  }

  beforeAll(async () => {
    world = await loadCixiWorld()
    suite = await startPageSuite('enrolment-page', chromiumPath!)
    ;({ platform, browser } = suite)
    pupil = world.pupils.find((p) => world.guardians.filter((g) => g.pupilIds.includes(p.id)).length === 2)!
    tokens.school = await platform.tokens.issue({
      role: 'school',
      sub: `head-of-${pupil.schoolId}`,
      schoolId: pupil.schoolId,
    })
    tokens.bureau = await platform.tokens.issue({ role: 'bureau', sub: 'bureau-admin' })
  }, 180_000)

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined)
    await suite?.stop()
  })

  it('prints a school’s letters, one a page, with the QR code and the code typed out', async () => {
    const context = await newContext(desk)
    await context.addInitScript((token) => localStorage.setItem('staff.session', token), tokens.school)
    const page = await context.newPage()
    await page.goto(`${platform.httpUrl}/letters`)
    await page.locator('#page[data-ready="true"]').waitFor()
    expect(await page.locator('#school').inputValue()).toBe(pupil.schoolId)
    await page.locator('#status[aria-busy="false"]').waitFor()
    await page.locator('#pupils').fill(pupil.code)
    await page.locator('#issue').click()
    await page.locator('.letter').nth(1).waitFor()
    expect(await page.locator('.letter').count()).toBe(2)
    const first = page.locator('.letter').first()
    expect(await first.locator('.letter-school').textContent()).toBe(
      world.schools.find((s) => s.id === pupil.schoolId)!.name,
    )
    expect(await first.textContent()).toContain(pupil.name)
    expect(await first.textContent()).toContain('如何绑定')
    expect(await first.textContent()).toContain('How to enrol')
    expect(
      await first.locator('.letter-qr').evaluate((img: HTMLImageElement) => img.naturalWidth),
    ).toBeGreaterThan(0)
    codes.push(...(await page.locator('.letter .letter-code').allTextContents()))
    expect(codes).toHaveLength(2)
    for (const code of codes) expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/)
    const row = page.locator(`#status tbody tr[data-pupil="${pupil.code}"]`)
    await row.first().waitFor()
    expect(await row.count()).toBe(2)
    await page.screenshot({ path: path.join(artifactsDir, 'letters-page.png') })
    await first.screenshot({ path: path.join(artifactsDir, 'letter.png') })

    await page.emulateMedia({ media: 'print' })
    expect(await page.locator('.controls').isVisible()).toBe(false)
    expect(await first.evaluate((node) => getComputedStyle(node).breakAfter)).toBe('page')
    const pdf = await page.pdf({ format: 'A4', printBackground: true })
    await fs.writeFile(path.join(artifactsDir, 'letters.pdf'), pdf)
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(2)
  })

  it('enrols a guardian’s phone from the letter’s link and opens the parent page', async () => {
    const guardian = world.guardians.find((g) => g.pupilIds.includes(pupil.id))!
    const letters = await fetch(`${platform.httpUrl}/api/enrolment/letters`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.school}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pupilCodes: [pupil.code] }),
    })
    const { letters: issued } = (await letters.json()) as {
      letters: { code: string; link: string; guardianName: string }[]
    }
    const letter = issued.find((l) => l.guardianName === guardian.name)!
    expect(letter.link).toBe(`${platform.httpUrl}/enrol#code=${letter.code}`)

    const context = await newContext(phone)
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(letter.link)
    await page.locator('#page[data-ready="true"]').waitFor()
    expect(page.url()).toBe(`${platform.httpUrl}/enrol`)
    expect(await page.locator('#code').inputValue()).toBe(letter.code)
    expect(await page.locator('#title').textContent()).toBe('绑定家长手机')

    const right = guardian.phone.slice(-4)
    await page.locator('#digits').fill(right === '0000' ? '1111' : '0000')
    await page.locator('#submit').click()
    await page.locator('#problem[data-problem="wrong_digits"]').waitFor()
    expect(await page.locator('#problem').textContent()).toContain('后4位')
    await page.screenshot({ path: path.join(artifactsDir, 'enrol-wrong-digits.png') })

    await page.locator('#digits').fill(right)
    await page.locator('#submit').click()
    await page.waitForURL(`${platform.httpUrl}/parent`)
    const token = await page.evaluate(() => localStorage.getItem('parent.accessToken'))
    expect(token).toMatch(/^s1\./)
    const answer = await me(token!)
    expect(answer.body.principal).toMatchObject({ role: 'parent', sub: guardian.id })
    await page.locator('#child-line').waitFor()
    expect(await page.locator('#error-page').isHidden()).toBe(true)
    await page.screenshot({ path: path.join(artifactsDir, 'enrol-parent-page.png') })
    expect(errors).toEqual([])

    // The link cannot be used by a second phone.
    const again = await newContext(phone)
    const second = await again.newPage()
    await second.goto(letter.link)
    await second.locator('#digits').fill(right)
    await second.locator('#submit').click()
    await second.locator('#problem[data-problem="used"]').waitFor()
  })

  it('shows a pairing code from an attendant’s row of the registers, and links to the letters', async () => {
    const attendant = world.staff.filter((s) => s.role === 'attendant')[1]!
    const context = await newContext(desk)
    await context.addInitScript((token) => localStorage.setItem('staff.session', token), tokens.bureau)
    const page = await context.newPage()
    await page.goto(`${platform.httpUrl}/registers#token=${tokens.bureau}`)
    await page.locator('#records tbody tr[data-key]').first().waitFor()
    expect(await page.locator('#letters-link').getAttribute('href')).toBe('/letters')
    await page.locator('#register-list button[data-register="staff"]').click()
    await page.locator('#search').fill(attendant.name)
    await page.locator('#search').press('Enter')
    const row = page.locator(`#records tbody tr[data-key="${attendant.id}"]`)
    await row.locator('button[data-action="pair"]').click()
    await page.locator('#pairing-dialog[open] #pairing-code').waitFor()
    await expect
      .poll(() => page.locator('#pairing-code').textContent())
      .toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/)
    expect(await page.locator('#pairing-dialog .pairing-bus').textContent()).toContain(attendant.busId)
    expect(
      await page.locator('#pairing-dialog .pairing-qr').evaluate((img: HTMLImageElement) => img.naturalWidth),
    ).toBeGreaterThan(0)
    await page.screenshot({ path: path.join(artifactsDir, 'registers-pairing-dialog.png') })
    const driver = world.staff.find((s) => s.role === 'driver')!
    await page.locator('#pairing-dialog button.primary').click()
    await page.locator('#search').fill(driver.name)
    await page.locator('#search').press('Enter')
    await page.locator(`#records tbody tr[data-key="${driver.id}"]`).waitFor()
    expect(
      await page.locator(`#records tbody tr[data-key="${driver.id}"] button[data-action="pair"]`).count(),
    ).toBe(0)
  })

  it('pairs an attendant’s phone from a pairing link and opens the attendant page signed in', async () => {
    const attendant = world.staff.find((s) => s.role === 'attendant')!
    const response = await fetch(`${platform.httpUrl}/api/pairings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.bureau}`, 'content-type': 'application/json' },
      body: JSON.stringify({ staffCode: attendant.id }),
    })
    expect(response.status).toBe(200)
    const pairing = (await response.json()) as { link: string; busId: string }
    expect(pairing.busId).toBe(attendant.busId)

    const context = await newContext({ ...phone, locale: 'en-US' })
    const page = await context.newPage()
    await page.goto(pairing.link)
    await page.waitForURL(`${platform.httpUrl}/attendant/`)
    const token = await page.evaluate(() => localStorage.getItem('attendant.accessToken'))
    expect(token).toMatch(/^s1\./)
    expect((await me(token!)).body.principal).toEqual({
      role: 'attendant',
      sub: attendant.id,
      busId: attendant.busId,
    })
    await expect
      .poll(() => page.evaluate(() => localStorage.getItem('attendant.busId')))
      .toBe(attendant.busId)
    expect(await page.locator('#error-page').isHidden()).toBe(true)
    await page.screenshot({ path: path.join(artifactsDir, 'pair-attendant-page.png') })
  })

  it('blocked nothing under the pages’ content security policy', () => {
    expect(contentSecurityViolations(browser)).toEqual([])
  })
})
