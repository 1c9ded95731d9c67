import { existsSync } from 'node:fs'
import { chromium, type Browser, type BrowserContext } from 'playwright-core'

const debianChromium = '/usr/bin/chromium'

/** True in CI, or wherever a test service is configured: there a missing browser is a failure. */
function expectsEveryService(): boolean {
  const ci = process.env.CI
  if (ci && ci !== 'false' && ci !== '0') return true
  return Object.entries(process.env).some(
    ([name, value]) => name.startsWith('TEST_') && Boolean(value?.trim()),
  )
}

/**
 * The Chromium the browser suites drive: `TEST_CHROMIUM`, else Debian's `chromium`. On a
 * developer's machine without one the suites are left out, saying why; in CI that fails the run.
 */
export function testChromiumPath(): string | undefined {
  const configured = process.env.TEST_CHROMIUM?.trim()
  const candidate = configured || debianChromium
  if (existsSync(candidate)) return candidate
  const why = configured
    ? `TEST_CHROMIUM=${configured} does not exist`
    : `no Chromium at ${debianChromium} (install Debian's chromium or set TEST_CHROMIUM)`
  if (expectsEveryService()) throw new Error(`${why}: in CI every browser suite runs`)
  console.log(`browser suites left out: ${why}`)
  return undefined
}

/**
 * Headless Chromium, quiet: no background traffic of its own. Each launch gets a fresh profile
 * folder, which Playwright makes and removes itself (it refuses a `--user-data-dir` argument).
 * `args` adds switches, such as a fake camera.
 */
export async function launchChromium(
  executablePath: string,
  options: { args?: string[] } = {},
): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.args ?? []),
    ],
  })
  const seen: string[] = []
  violationsByBrowser.set(browser, seen)
  const newContext = browser.newContext.bind(browser)
  browser.newContext = async (contextOptions) => {
    const context = await newContext(contextOptions)
    await recordViolations(context, seen)
    return context
  }
  browser.newPage = async (pageOptions) => (await browser.newContext(pageOptions)).newPage()
  return browser
}

const violationsByBrowser = new WeakMap<Browser, string[]>()
const violationMark = 'content security policy violation:'

/** Every page of the context reports what its content security policy blocked. */
async function recordViolations(context: BrowserContext, seen: string[]) {
  await context.addInitScript((mark: string) => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`${mark} ${event.effectiveDirective} blocked ${event.blockedURI || 'inline'}`),
    )
  }, violationMark)
  context.on('console', (message) => {
    if (message.type() === 'error' && message.text().startsWith(violationMark)) {
      seen.push(`${message.location().url}: ${message.text()}`)
    }
  })
}

/**
 * What the pages' content security policy blocked in any page this browser opened: a page that
 * passes its policy blocks nothing, so the suites expect this to stay empty.
 */
export function contentSecurityViolations(browser: Browser): readonly string[] {
  return violationsByBrowser.get(browser) ?? []
}
