import { runsServices } from './test-level.js'

/**
 * The URL of a real service for integration suites. Unset on a developer's fresh clone, where the
 * suites run on the embedded parts only; in CI an unset variable fails the run instead of
 * silently leaving the suite out.
 */
export function testServiceUrl(
  variable: 'TEST_DATABASE_URL' | 'TEST_MQTT_URL' | 'TEST_REDIS_URL',
): string | undefined {
  if (!runsServices) return undefined
  const url = process.env[variable]?.trim()
  if (url) return url
  const ci = process.env.CI
  if (ci && ci !== 'false' && ci !== '0') {
    throw new Error(`${variable} is not set: in CI every integration suite runs against its real service`)
  }
  return undefined
}
