import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { loadTwoSchoolsTwoBuses, scenario } from '../../test/scenarios/two-schools-two-buses.js'
import { settableClock } from '../../test/support/test-platform-parts.js'
import { createAuditLog } from '../core/auth/audit-log.js'
import { createSessions } from '../core/auth/sessions.js'
import { rotateTerminalCredential } from '../core/auth/terminal-credentials.js'
import { matchesMosquittoHash } from '../core/broker/mosquitto-password-hash.js'
import type { Database } from '../core/store/database.js'
import { migrateDatabase } from '../core/store/migrate-database.js'
import { openPgliteDatabase } from '../core/store/pglite-database.js'
import { writeBrokerConfig } from './write-broker-config.js'

let db: Database
let dir: string
const clock = settableClock(scenario.monday0710)
const sessions = () => createSessions({ db, clock })
const write = (options: { issueMissing?: boolean; renewPlatformPasswords?: boolean } = {}) =>
  writeBrokerConfig({
    db,
    sessions: sessions(),
    audit: createAuditLog({ db, clock }),
    clock,
    actor: 'command line (test)',
    dir,
    listener: { port: 18999, bind: '127.0.0.1', platformHost: '127.0.0.1' },
    ...options,
  })
const read = (name: string) => readFile(path.join(dir, name), 'utf8')
const passwdEntries = async () =>
  new Map(
    (await read('passwd'))
      .trim()
      .split('\n')
      .map((line) => line.split(':') as [string, string]),
  )
const urlOf = async (file: string) => new URL((await read(file)).match(/^MQTT_URL=(.+)$/m)![1]!)

beforeAll(async () => {
  db = await openPgliteDatabase()
  await migrateDatabase(db)
  await loadTwoSchoolsTwoBuses(db)
  dir = await mkdtemp(path.join(os.tmpdir(), 'broker-config-'))
})
afterAll(async () => {
  await db.close()
  await rm(dir, { recursive: true, force: true })
})

it('lists only buses with a credential, and names those without', async () => {
  const b1 = await rotateTerminalCredential({ sessions: sessions(), db, busId: 'B1', actor: 'admin' })
  const summary = await write()
  expect(summary).toMatchObject({ terminals: 1, issued: 0, missing: ['B2'], unusable: [] })
  expect(summary.newPlatformPasswords).toBe(true)

  const entries = await passwdEntries()
  expect([...entries.keys()]).toEqual(['B1', 'ingest', 'simulator'])
  expect(matchesMosquittoHash(b1.password, entries.get('B1')!)).toBe(true)
  const ingest = await urlOf('platform.env')
  const simulator = await urlOf('simulator.env')
  expect([ingest.username, ingest.host, simulator.username]).toEqual([
    'ingest',
    '127.0.0.1:18999',
    'simulator',
  ])
  expect(matchesMosquittoHash(decodeURIComponent(ingest.password), entries.get('ingest')!)).toBe(true)
  expect(matchesMosquittoHash(decodeURIComponent(simulator.password), entries.get('simulator')!)).toBe(true)

  expect(await read('acl')).toContain('user B1\ntopic write bus/B1/#\n')
  expect(await read('acl')).toContain('user ingest\ntopic read bus/#\n')
  expect(await read('acl')).toContain('user simulator\ntopic write bus/#\n')
  expect(await read('acl')).not.toContain('B2')
  const conf = await read('mosquitto.conf')
  expect(conf).toMatch(/^listener 18999 127\.0\.0\.1$/m)
  expect(conf).toMatch(/^allow_anonymous false$/m)
  expect(conf).toContain(`password_file ${path.join(dir, 'passwd')}\n`)
  expect(conf).toContain(`acl_file ${path.join(dir, 'acl')}\n`)
  expect(conf).toMatch(/^max_packet_size 65536$/m)
  expect(conf).toMatch(/^max_queued_messages 1000000$/m)

  for (const name of ['passwd', 'acl', 'platform.env', 'simulator.env']) {
    expect((await stat(path.join(dir, name))).mode & 0o777).toBe(0o600)
  }
  expect((await readdir(dir)).some((name) => name.includes('terminals.csv'))).toBe(false)
})

it('issues the missing credentials once, into terminals.csv, and keeps the platform passwords', async () => {
  const ingestBefore = await urlOf('platform.env')
  const summary = await write({ issueMissing: true })
  expect(summary).toMatchObject({ terminals: 2, issued: 1, missing: [], newPlatformPasswords: false })
  const rows = parse(await read('terminals.csv'), { columns: true }) as Record<string, string>[]
  expect(rows).toEqual([
    expect.objectContaining({ bus_id: 'B2', plate: '浙B·10002', username: 'B2', client_id: 'terminal-B2' }),
  ])
  expect((await stat(path.join(dir, 'terminals.csv'))).mode & 0o777).toBe(0o600)
  expect(matchesMosquittoHash(rows[0]!.password!, (await passwdEntries()).get('B2')!)).toBe(true)
  await expect(sessions().verify(rows[0]!.password)).resolves.toMatchObject({ principal: { busId: 'B2' } })
  expect((await urlOf('platform.env')).password).toBe(ingestBefore.password)
  const logged = await createAuditLog({ db, clock }).list({ action: 'credential_rotated', limit: 5 })
  expect(logged[0]).toMatchObject({ actor: 'command line (test)', target: 'B2' })

  // An earlier list of passwords is never written over.
  await expect(write({ issueMissing: true })).rejects.toThrow(/terminals\.csv from an earlier run/)
  const renewed = await write({ renewPlatformPasswords: true })
  expect(renewed.newPlatformPasswords).toBe(true)
  expect((await urlOf('platform.env')).password).not.toBe(ingestBefore.password)
  // Nothing half-written is left beside the files.
  expect((await readdir(dir)).sort()).toEqual(
    ['acl', 'mosquitto.conf', 'passwd', 'platform.env', 'simulator.env', 'terminals.csv'].sort(),
  )
})

it('leaves out a bus whose id cannot name an MQTT user', async () => {
  await db.query(
    `INSERT INTO buses (id, plate, town_id, kind, seats, operator)
     VALUES ('ingest', '浙B·10009', 'longshan', 'school_bus', 36, 'Test operator')`,
  )
  await rm(path.join(dir, 'terminals.csv'))
  const summary = await write({ issueMissing: true })
  expect(summary).toMatchObject({ unusable: ['ingest'], issued: 0 })
  expect([...(await passwdEntries()).keys()]).toEqual(['B1', 'B2', 'ingest', 'simulator'])
})
