import { execFile } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { loadCixiWorld } from '../fixtures/cixi-world.js'
import { smallestSchool } from './support/smallest-school.js'
import { startMainProcess } from './support/start-main-process.js'
import { waitFor } from './support/wait-for.js'

const root = path.resolve(import.meta.dirname, '..')
let outDir: string
let dataDir: string

/**
 * `npm run build` into a folder of its own, so that a platform running from dist/ is left alone;
 * the link gives the compiled code the clone's node_modules, as lying in the clone gives dist/.
 */
beforeAll(async () => {
  outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stp-build-'))
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stp-compiled-'))
  await fs.symlink(path.join(root, 'node_modules'), path.join(outDir, 'node_modules'), 'dir')
  await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/build.ts', outDir], { cwd: root })
})
afterAll(async () => {
  await fs.rm(outDir, { recursive: true, force: true })
  await fs.rm(dataDir, { recursive: true, force: true })
})

it('runs compiled: serves the prebuilt pages, plans in its worker thread, and stops cleanly on SIGTERM', async () => {
  const run = startMainProcess(
    { DATA_DIR: dataDir, PORT: '0', MQTT_PORT: '0', JT808_PORT: '0', SIMULATOR_FLEET: 'off' },
    { compiledDir: outDir },
  )
  await expect.poll(run.output, { timeout: 30_000, interval: 100 }).toContain('Press Ctrl-C to stop.')
  const origin = /Health: +(http:\/\/127\.0\.0\.1:\d+)\/health/.exec(run.output())![1]!
  expect((await fetch(`${origin}/health`)).status).toBe(200)

  const html = await (await fetch(`${origin}/parent`)).text()
  const bundlePath = /"(\/parent\/app\.js\?v=[\w-]+)"/.exec(html)?.[1]
  expect(bundlePath, html).toBeDefined()
  const bundle = await fetch(`${origin}${bundlePath}`)
  expect(bundle.headers.get('content-type')).toMatch(/^text\/javascript/)
  expect(await bundle.text()).toBe(await fs.readFile(path.join(outDir, 'web/parent/app.js'), 'utf8'))

  // The plan's worker thread starts from compiled JavaScript too, with no TypeScript loader.
  const links = await fs.readFile(path.join(dataDir, 'start-links.txt'), 'utf8')
  const password = /one-time password: (\S+)/.exec(links)![1]!
  const signedIn = await fetch(`${origin}/api/access/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password, newPassword: 'the administrator passphrase' }),
  })
  const { token } = (await signedIn.json()) as { token: string }
  const call = async (method: string, apiPath: string, body?: unknown) =>
    (await fetch(`${origin}${apiPath}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then((response) => response.json())) as { id: string; plan: { status: string; error?: string } }
  const { id } = await call('POST', '/api/plans', {
    name: 'compiled',
    pupilScope: { kind: 'schools', schoolIds: [smallestSchool(await loadCixiWorld())] },
    settings: { searchTimeLimitMs: 200 },
  })
  const { plan } = await waitFor(
    () => call('GET', `/api/plans/${id}`),
    (answer) => answer.plan.status !== 'running',
    `plan ${id}`,
  )
  expect(plan).toMatchObject({ status: 'done' })

  run.child.kill('SIGTERM')
  expect(await run.exited, run.output()).toBe(0)
}, 60_000)
