/**
 * Which variants of the suites a run takes, set per vitest project (vitest.config.ts): the
 * `integration` level runs them on the embedded store, broker and Chromium only; the `services`
 * level only against the TEST_* servers. A file run on its own, outside a project, takes both.
 */
const level = process.env.TEST_LEVEL

export const runsEmbedded = level !== 'services'
export const runsServices = level !== 'integration'
