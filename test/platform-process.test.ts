import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startMainProcess } from './support/start-main-process.js'

let dataDir: string

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stp-process-'))
})
afterAll(async () => {
  await fs.rm(dataDir, { recursive: true, force: true })
})

it('stops at start naming the bad variable and what it expects', async () => {
  const run = startMainProcess({ DATA_DIR: dataDir, PORT: 'eighty', REDIS_URL: 'localhost:6379' })
  expect(await run.exited).toBe(2)
  expect(run.output()).toContain('PORT: expected an integer from 0 to 65535, got "eighty"')
  expect(run.output()).toContain('REDIS_URL: expected a URL starting with redis:// or rediss://')
})

it('prints where to open it, and shuts down cleanly on Ctrl-C', async () => {
  const run = startMainProcess({ DATA_DIR: dataDir, PORT: '0', MQTT_PORT: '0', JT808_PORT: '0' })
  await expect
    .poll(run.output, { timeout: 30_000, interval: 100 })
    .toMatch(/Health: +http:\/\/127\.0\.0\.1:\d+\/health/)
  const healthUrl = /Health: +(\S+)/.exec(run.output())![1]!
  expect((await fetch(healthUrl)).status).toBe(200)
  await expect.poll(run.output, { timeout: 30_000, interval: 100 }).toContain('Press Ctrl-C to stop.')
  // No token in the output, which ends up in logs: the links with tokens are in a file for the owner.
  expect(run.output()).not.toMatch(/token=(?!<)/)
  expect(run.output()).not.toMatch(/eyJ[\w-]+\.[\w-]+/)
  const parentPage = /Parent page: +(http:\/\/127\.0\.0\.1:\d+\/parent)#token=</.exec(run.output())
  expect(parentPage, run.output()).not.toBe(null)
  expect((await fetch(parentPage![1]!)).status).toBe(200)
  const linksFile = /Links to try: +(\S+)/.exec(run.output())![1]!
  expect(linksFile).toBe(path.join(dataDir, 'start-links.txt'))
  expect((await fs.stat(linksFile)).mode & 0o777).toBe(0o600)
  // Staff sign in: the file has the sign-in page and the first administrator's one-time password.
  const links = await fs.readFile(linksFile, 'utf8')
  expect(links).not.toMatch(/\/(planner|registers)#token=/)
  const signInPage = /sign-in page[^:]*: (\S+\/sign-in)\n/.exec(links)?.[1]
  const password = /one-time password: (\S+)/.exec(links)?.[1]
  expect(signInPage && password, links).toBeTruthy()
  const signedIn = await fetch(new URL('/api/access/sign-in', signInPage), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password, newPassword: 'the administrator passphrase' }),
  })
  const { token } = (await signedIn.json()) as { token: string }
  const me = await fetch(new URL('/api/me', signInPage), { headers: { authorization: `Bearer ${token}` } })
  expect(await me.json()).toMatchObject({ principal: { role: 'bureau', sub: 'admin', admin: true } })
  run.child.kill('SIGINT')
  expect(await run.exited).toBe(0)
  expect(run.output()).toContain('SIGINT: stopping')
})
