import { afterAll, beforeAll, expect, it } from 'vitest'
import { loadTwoSchoolsTwoBuses, scenario } from '../../../test/scenarios/two-schools-two-buses.js'
import { settableClock } from '../../../test/support/test-platform-parts.js'
import { matchesMosquittoHash } from '../broker/mosquitto-password-hash.js'
import type { Database } from '../store/database.js'
import { migrateDatabase } from '../store/migrate-database.js'
import { openPgliteDatabase } from '../store/pglite-database.js'
import { createSessions } from './sessions.js'
import {
  listTerminalCredentials,
  readTerminalBrokerHashes,
  rotateTerminalCredential,
  terminalCredentialTtlS,
} from './terminal-credentials.js'

let db: Database
const clock = settableClock(scenario.monday0710)
beforeAll(async () => {
  db = await openPgliteDatabase()
  await migrateDatabase(db)
  await loadTwoSchoolsTwoBuses(db)
})
afterAll(() => db.close())

it('issues a terminal a ten-year session whose token is its password, with its Mosquitto hash', async () => {
  const sessions = createSessions({ db, clock })
  const issued = await rotateTerminalCredential({ sessions, db, busId: 'B1', actor: 'admin' })
  expect(issued).toMatchObject({ busId: 'B1', username: 'B1', clientId: 'terminal-B1' })
  expect(issued.password).toMatch(/^s1\./)
  expect(issued.expiresAt).toEqual(new Date(scenario.monday0710.getTime() + terminalCredentialTtlS * 1000))

  const verified = await sessions.verify(issued.password)
  expect(verified).toMatchObject({ kind: 'device', principal: { role: 'device', busId: 'B1' } })
  const [hash] = await readTerminalBrokerHashes(db, clock)
  expect(hash?.busId).toBe('B1')
  expect(matchesMosquittoHash(issued.password, hash!.brokerHash)).toBe(true)
  expect(matchesMosquittoHash(`${issued.password}x`, hash!.brokerHash)).toBe(false)
})

it('lists every bus with its current credential and no secret', async () => {
  const listed = await listTerminalCredentials(db, clock)
  expect(listed.map((t) => [t.busId, t.plate, t.terminalNo])).toEqual([
    ['B1', '浙B·10001', null],
    ['B2', '浙B·10002', null],
  ])
  expect(listed[0]).toMatchObject({ createdAt: scenario.monday0710, lastUsedAt: scenario.monday0710 })
  expect(listed[0]!.sessionId).toEqual(expect.any(String))
  expect(listed[1]).toMatchObject({ sessionId: null, createdAt: null, lastUsedAt: null, expiresAt: null })
  expect(JSON.stringify(listed)).not.toMatch(/s1\.|\$7\$/)
})

it('ends the credential a rotation replaces, and only that bus’s', async () => {
  const sessions = createSessions({ db, clock })
  const b2 = await rotateTerminalCredential({ sessions, db, busId: 'B2', actor: 'admin' })
  const [before] = await listTerminalCredentials(db, clock)
  clock.set(scenario.monday0900)
  const rotated = await rotateTerminalCredential({ sessions, db, busId: 'B1', actor: 'admin' })

  const ended = await sessions.list({ owner: { busId: 'B1' }, includeEnded: true })
  expect(ended.find((s) => s.id === before!.sessionId)).toMatchObject({
    revokedBy: 'admin',
    revokeReason: 'replaced',
  })
  await expect(sessions.verify(rotated.password)).resolves.toMatchObject({ principal: { busId: 'B1' } })
  await expect(sessions.verify(b2.password)).resolves.toMatchObject({ principal: { busId: 'B2' } })
  const [b1Now] = await listTerminalCredentials(db, clock)
  expect(b1Now).toMatchObject({ createdAt: scenario.monday0900 })
  expect(b1Now!.sessionId).not.toBe(before!.sessionId)

  const hashes = await readTerminalBrokerHashes(db, clock)
  expect(hashes.map((h) => h.busId)).toEqual(['B1', 'B2'])
  expect(matchesMosquittoHash(rotated.password, hashes[0]!.brokerHash)).toBe(true)
})

it('refuses an unknown bus, and a bus whose id cannot name an MQTT user', async () => {
  const sessions = createSessions({ db, clock })
  await expect(rotateTerminalCredential({ sessions, db, busId: 'B9', actor: 'admin' })).rejects.toMatchObject(
    {
      code: 'not_found',
    },
  )
  await db.query(
    `INSERT INTO buses (id, plate, town_id, kind, seats, operator)
     VALUES ('B/3', '浙B·10003', 'longshan', 'school_bus', 36, 'Test operator')`,
  )
  await expect(
    rotateTerminalCredential({ sessions, db, busId: 'B/3', actor: 'admin' }),
  ).rejects.toMatchObject({ code: 'unprocessable' })
})
