import { readdirSync, readFileSync } from 'node:fs'
import { defineConfig } from 'vitest/config'

/**
 * Three levels, each runnable alone (`npm run test:unit`, `test:integration`, `test:services`):
 * - unit: the tests beside the code, with no store, broker, browser or server of their own;
 * - integration: `test/`, on the embedded store and broker and in Chromium;
 * - services: the suites of `test/` that reach for the TEST_* servers, against those servers only.
 * The level goes to the suites as TEST_LEVEL (test/support/test-level.ts).
 */
const serviceVariables = ['TEST_DATABASE_URL', 'TEST_MQTT_URL', 'TEST_REDIS_URL']
const ci = process.env.CI !== undefined && process.env.CI !== 'false' && process.env.CI !== '0'
/** On a fresh clone there are no servers to test against; in CI a missing one fails the run. */
const servicesConfigured = ci || serviceVariables.some((name) => process.env[name]?.trim())

/**
 * The suites whose variants include a real server: they name its backends or its variable, or run
 * a server of their own at this level (runsServices).
 */
const serviceSuites = readdirSync('test')
  .filter((file) => file.endsWith('.test.ts'))
  .filter((file) =>
    /storeBackends|brokerBackends|telemetryBackends|testServiceUrl|runsServices/.test(
      readFileSync(`test/${file}`, 'utf8'),
    ),
  )
  .map((file) => `test/${file}`)

export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{bench,fixtures,geo,server,web,workers}/**/*.test.ts'],
          env: { TEST_LEVEL: 'unit' },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          // Nothing of it runs without its servers.
          exclude: ['test/live-two-processes.test.ts'],
          env: { TEST_LEVEL: 'integration' },
        },
      },
      ...(servicesConfigured
        ? [
            {
              extends: true as const,
              test: { name: 'services', include: serviceSuites, env: { TEST_LEVEL: 'services' } },
            },
          ]
        : []),
    ],
  },
})
