import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import type { Clock } from '../../server/core/clock/clock.js'
import { loadConfig } from '../../server/core/config/load-config.js'
import { createLogger } from '../../server/core/log/logger.js'
import { startPlatform, type Platform } from '../../server/start-platform.js'
import { launchChromium } from './browser.js'

/** Where the page suites leave their screenshots. */
export const artifactsDir = path.resolve('artifacts')

export interface PageSuite {
  dataDir: string
  platform: Platform
  browser: Browser
  /** Closes the browser, stops the platform and removes its data folder. */
  stop(): Promise<void>
}

/**
 * What a page suite drives: the whole platform on embedded defaults (any free ports, no simulated
 * fleet, unless `env` says otherwise) in a fresh data folder named for `name`, and headless Chromium,
 * started side by side.
 */
export async function startPageSuite(
  name: string,
  chromiumPath: string,
  options: { clock?: Clock; env?: Record<string, string> } = {},
): Promise<PageSuite> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), `stp-${name}-`))
  await fs.mkdir(artifactsDir, { recursive: true })
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    MQTT_PORT: '0',
    JT808_PORT: '0',
    LOG_LEVEL: 'silent',
    SIMULATOR_FLEET: 'off',
    ...options.env,
  })
  const [platform, browser] = await Promise.all([
    startPlatform({ config, log: createLogger({ level: 'silent' }), clock: options.clock }),
    launchChromium(chromiumPath),
  ])
  return {
    dataDir,
    platform,
    browser,
    async stop() {
      await browser.close()
      await platform.stop()
      await fs.rm(dataDir, { recursive: true, force: true })
    },
  }
}
