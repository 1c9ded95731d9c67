import path from 'node:path'
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/*
 * The layers of DESIGN §3, enforced on every import:
 * - geo/ is pure.
 * - server/core/ is what every part stands on: the store (with its embedded PGlite), clock, logging,
 *   configuration, errors, the broker client, the embedded broker and the telemetry contract, tokens
 *   and the access policy, process helpers, the schedule, and the domain helpers and contracts that
 *   several parts share: health reports, router start-up, boarding and ride rules, the plan request
 *   and plan runner contract, the child-left-on-bus alarm contract.
 * - The parts are peers: each imports geo/, server/core/ and its own folder, never another part.
 *   server/auth (start links and printed demo tokens), server/seed (the Cixi world's seeding) and
 *   server/registers (the registers' import and export commands) are parts of their own, used only
 *   by composition roots and their own command-line entries.
 * - Composition roots wire parts together and are the only files that import across parts:
 *   server/main.ts, server/start-platform.ts, server/parts/ (the process context and each part's
 *   start, by name in PARTS), each part's main.ts, bench/, test/ and fixtures/. No part and nothing
 *   in server/core/ imports a composition root.
 * Imports are relative, so each folder depth gets the exact relative prefix of every forbidden
 * folder: a glob on `workers/events/` alone would miss `../events/` written in workers/ingest.
 */
const parts = [
  'workers/ingest',
  'workers/jt808',
  'workers/events',
  'workers/simulator',
  'server/http',
  'server/live',
  'server/alarms',
  'server/planning',
  'server/auth',
  'server/seed',
  'server/registers',
]
const rootFiles = ['server/main', 'server/start-platform']
const rootFolders = ['server/parts']
const partEntries = parts.map((part) => `${part}/main.ts`)
const geoIsPure = {
  group: ['**/server/**', '**/workers/**'],
  message: 'geo/ is pure: it never imports server/ or workers/.',
}
const noTestSupport = {
  group: ['vitest', '**/test/**'],
  message: 'geo/ holds no test support: see test/support/.',
}
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** One block per folder depth of `folder`, forbidding imports of `forbidden` (folders) and the roots. */
function layerBlocks(folder, forbidden, message) {
  return [0, 1, 2, 3].map((depth) => {
    const dir = path.posix.join(folder, ...Array(depth).fill('x'))
    const to = (target) => escape(path.posix.relative(dir, target))
    return {
      files: [`${folder}/${'*/'.repeat(depth)}*.{ts,mts,js,mjs}`],
      ignores: partEntries,
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              ...forbidden.map((target) => ({ regex: `^${to(target)}/`, message })),
              ...rootFolders.map((folder) => ({
                regex: `^${to(folder)}/`,
                message: 'a composition root imports parts; no part imports a composition root.',
              })),
              ...rootFiles.map((file) => ({
                regex: `^${to(file)}\\.(js|ts)$`,
                message: 'a composition root imports parts; no part imports a composition root.',
              })),
            ],
          },
        ],
      },
    }
  })
}

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'artifacts/', 'web/vendor/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  { files: ['geo/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [geoIsPure] }] } },
  {
    // Test support lives in test/support/, not in what the platform runs.
    files: ['geo/**/*.ts'],
    ignores: ['geo/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [geoIsPure, noTestSupport] }] },
  },
  ...layerBlocks('server/core', parts, 'server/core/ stands under every part and never imports one.'),
  ...parts.flatMap((part) =>
    layerBlocks(
      part,
      parts.filter((other) => other !== part),
      `${part} is a part: it imports geo/, server/core/ and its own folder, never another part.`,
    ),
  ),
)
