import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Database } from '../server/core/store/database.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { openPgliteDatabase } from '../server/core/store/pglite-database.js'
import { loadTwoSchoolsTwoBuses, scenario } from './scenarios/two-schools-two-buses.js'
import { callApi, createScenarioApi } from './support/call-api.js'
import { createTestAccess, settableClock } from './support/test-platform-parts.js'

/** The bureau's view of the terminals' credentials, and an administrator's rotation of one. */
let db: Database
let api: Awaited<ReturnType<typeof createScenarioApi>>
let adminToken: string
const clock = settableClock(scenario.monday0710)
beforeAll(async () => {
  db = await openPgliteDatabase()
  await migrateDatabase(db)
  await loadTwoSchoolsTwoBuses(db)
  api = await createScenarioApi(db, clock)
  adminToken = await createTestAccess(db, clock).tokenFor({ role: 'bureau', sub: 'admin-1', admin: true })
})
afterAll(() => db.close())

it('lists every bus to the bureau, and to no one else', async () => {
  const listed = await callApi(api.app, 'GET', '/api/terminal-credentials', api.tokens.bureau)
  expect(listed.status).toBe(200)
  expect(listed.body.terminals).toEqual([
    expect.objectContaining({ busId: 'B1', plate: '浙B·10001', terminalNo: null, sessionId: null }),
    expect.objectContaining({ busId: 'B2', plate: '浙B·10002', terminalNo: null, sessionId: null }),
  ])
  for (const caller of ['schoolS1', 'attendantB1', 'parentP1', 'deviceB1'] as const) {
    expect((await callApi(api.app, 'GET', '/api/terminal-credentials', api.tokens[caller])).status).toBe(403)
  }
  expect((await callApi(api.app, 'GET', '/api/terminal-credentials', undefined)).status).toBe(401)
})

it('answers a rotated credential once, to an administrator, and records who rotated it from where', async () => {
  const path = '/api/terminal-credentials/B1/rotate'
  expect((await callApi(api.app, 'POST', path, api.tokens.bureau)).status).toBe(403)
  expect((await callApi(api.app, 'POST', path, api.tokens.deviceB1)).status).toBe(403)

  const first = await callApi(api.app, 'POST', path, adminToken)
  expect(first.status).toBe(200)
  expect(first.body).toMatchObject({ busId: 'B1', username: 'B1', clientId: 'terminal-B1' })
  expect(first.body.password).toMatch(/^s1\./)
  const second = await callApi(api.app, 'POST', path, adminToken)
  expect(second.body.password).not.toBe(first.body.password)

  // The old password no longer opens anything; the new one is the bus's device.
  const { sessions, audit } = createTestAccess(db, clock)
  await expect(sessions.verify(first.body.password as string)).rejects.toMatchObject({
    code: 'unauthenticated',
  })
  await expect(sessions.verify(second.body.password as string)).resolves.toMatchObject({
    principal: { role: 'device', busId: 'B1' },
  })
  const listed = await callApi(api.app, 'GET', '/api/terminal-credentials', api.tokens.bureau)
  const b1 = (listed.body.terminals as { busId: string; sessionId: string }[]).find((t) => t.busId === 'B1')
  expect(b1?.sessionId).toBe((second.body.password as string).split('.')[1])
  expect(JSON.stringify(listed.body)).not.toContain(second.body.password)

  const logged = await audit.list({ action: 'credential_rotated', limit: 10 })
  expect(logged).toHaveLength(2)
  expect(logged[0]).toMatchObject({ actor: 'admin-1', actorRole: 'bureau', target: 'B1' })
})

it('answers 404 for an unknown bus', async () => {
  const answer = await callApi(api.app, 'POST', '/api/terminal-credentials/B9/rotate', adminToken)
  expect(answer.status).toBe(404)
  expect(answer.body.error.code).toBe('not_found')
})
