import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contentSecurityViolations, testChromiumPath } from './support/browser.js'
import { artifactsDir, startPageSuite, type PageSuite } from './support/page-suite.js'

/**
 * The API reference page in headless Chromium against the whole platform: open without a token,
 * every file from this server and nothing from outside, within its content security policy, with
 * every operation of /api/openapi.json listed and one opened to show its parameters and refusals.
 */
const chromiumPath = testChromiumPath()

describe.skipIf(!chromiumPath)('the API reference page in Chromium', () => {
  let suite: PageSuite | undefined
  let origin = ''
  let page: Page
  const requested: string[] = []

  beforeAll(async () => {
    suite = await startPageSuite('api-docs-page', chromiumPath!)
    origin = suite.platform.httpUrl!
    const context = await suite.browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
    })
    page = await context.newPage()
    page.on('request', (request) => requested.push(request.url()))
  }, 180_000)

  afterAll(async () => {
    await suite?.stop()
  })

  it('lists every operation of the document, loading nothing from outside', async () => {
    const document = (await (await fetch(`${origin}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>
    }
    const operations = Object.values(document.paths).flatMap((methods) => Object.keys(methods)).length

    const answer = await page.goto(`${origin}/api/docs`)
    expect(answer?.status()).toBe(200)
    expect(answer?.headers()['content-security-policy']).toContain("script-src 'self'")
    await page.locator('.swagger-ui .info .title').waitFor()
    expect(await page.locator('.swagger-ui .info .title').textContent()).toContain('校车平台接口')
    await page.locator('.opblock').first().waitFor()
    expect(await page.locator('.opblock').count()).toBe(operations)
    expect(await page.locator('h1 [lang="zh-CN"]').textContent()).toBe('校车平台接口说明')
    await page.screenshot({ path: path.join(artifactsDir, 'api-docs.png') })

    expect(requested.length).toBeGreaterThan(0)
    expect(requested.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'))).toEqual([])
    expect(contentSecurityViolations(suite!.browser)).toEqual([])
  })

  it('opens an operation with its parameters, callers and refusals', async () => {
    const positions = page.locator('#operations-buses-getApiBusesBusIdPositions')
    await positions.locator('.opblock-summary').click()
    await positions.locator('.parameters').waitFor()
    const parameters = await positions.locator('.parameters').textContent()
    for (const name of ['busId', 'from', 'to', 'limit']) expect(parameters).toContain(name)
    const text = await positions.textContent()
    expect(text).toContain('Callers: bureau, school, attendant, parent, device, service.')
    expect(text).toContain('unauthenticated')
    await positions.screenshot({ path: path.join(artifactsDir, 'api-docs-operation.png') })
    expect(contentSecurityViolations(suite!.browser)).toEqual([])
  })
})
