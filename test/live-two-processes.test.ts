import { randomBytes } from 'node:crypto'
import { io as connectSocket, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Principal } from '../server/core/auth/principal.js'
import { createSessions, type SessionGrant } from '../server/core/auth/sessions.js'
import { connectBroker } from '../server/core/broker/connect-broker.js'
import { systemClock } from '../server/core/clock/clock.js'
import { startMainProcess, type MainProcess } from './support/start-main-process.js'
import { postgresStore, type TestDatabase } from './support/store-backends.js'
import { testServiceUrl } from './support/test-service-url.js'

/**
 * Two `npm start` processes on the machine's PostgreSQL, Mosquitto and Redis, sharing the ingest
 * work: a report taken by either reaches watchers on both, and a client that connects afterwards to
 * either gets the bus's latest state at once. A session ended through one process closes the
 * sockets it opened on the other within seconds.
 */
const databaseUrl = testServiceUrl('TEST_DATABASE_URL')
const mqttUrl = testServiceUrl('TEST_MQTT_URL')
const redisUrl = testServiceUrl('TEST_REDIS_URL')
const secret = randomBytes(32).toString('hex')
const runId = randomBytes(4).toString('hex')

function startServer(name: string, env: Record<string, string>) {
  return startMainProcess({
    ...env,
    PORT: '0',
    JT808_PORT: '0',
    TOKEN_SECRET: secret,
    // DEMO is off by default on DATABASE_URL: the first process seeds the Cixi world the test uses.
    DEMO: 'on',
    SIMULATOR_FLEET: 'off',
    LOG_LEVEL: 'warn',
    INGEST_CLIENT_ID: `ingest-${name}-${runId}`,
    INGEST_SHARE_GROUP: `ingest-${runId}`,
  })
}

async function urlOf(server: MainProcess) {
  const banner = /Health: +(http:\/\/127\.0\.0\.1:\d+)\/health/
  for (const started = Date.now(); Date.now() - started < 60_000;) {
    const url = banner.exec(server.output())?.[1]
    if (url) return url
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`the server did not start:\n${server.output()}`)
}

describe.skipIf(!(databaseUrl && mqttUrl && redisUrl))('the live channel across two server processes', () => {
  let database: TestDatabase
  const servers: MainProcess[] = []
  const urls: string[] = []
  const sockets: Socket[] = []
  const bureau: Principal = { role: 'bureau', sub: 'bureau-1', admin: true }
  const sessionFor = async (grant: SessionGrant) =>
    createSessions({ db: database.db, clock: systemClock }).issue(grant, { ttlS: 3600 })
  const tokenFor = async (principal: Principal) => (await sessionFor({ kind: 'issued', principal })).token

  const watch = async (url: string, token?: string) => {
    const socket = connectSocket(url, {
      auth: { token: token ?? (await tokenFor(bureau)) },
      transports: ['websocket'],
      reconnection: false,
    })
    sockets.push(socket)
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('connect_error', reject)
    })
    return socket
  }

  beforeAll(async () => {
    database = await postgresStore(databaseUrl!).open()
    const env = { DATABASE_URL: database.url!, MQTT_URL: mqttUrl!, REDIS_URL: redisUrl! }
    // The first one seeds the empty database; the second starts on it.
    servers.push(startServer('a', env))
    urls.push(await urlOf(servers[0]!))
    servers.push(startServer('b', env))
    urls.push(await urlOf(servers[1]!))
  }, 120_000)
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect()
    for (const server of servers) server.child.kill('SIGTERM')
    await Promise.all(servers.map((server) => server.exited))
    await database?.dispose()
  }, 60_000)

  it('delivers every report to watchers on both, and the latest state to a newcomer', async () => {
    const watchers = [await watch(urls[0]!), await watch(urls[1]!)]
    const seen: string[][] = [[], []]
    for (const [i, socket] of watchers.entries()) {
      expect(await socket.emitWithAck('subscribe', { busId: 'bus-01' })).toEqual({ ok: true })
      socket.on('position', (p: { ts: string }) => seen[i]!.push(p.ts))
    }
    const [depot] = await database.db.query<{ lat: number; lon: number }>(
      `SELECT depot_lat AS lat, depot_lon AS lon FROM buses WHERE id = 'bus-01'`,
    )
    const device = await connectBroker({ url: mqttUrl!, clientId: `terminal-bus-01-${runId}` })
    const sent: string[] = []
    for (let i = 0; i < 6; i++) {
      const ts = new Date(Date.now() - 60_000 + i * 1000).toISOString()
      sent.push(ts)
      const report = { ts, lat: depot!.lat + i * 0.0001, lon: depot!.lon, speedKmh: 20 }
      await device.publishAsync('bus/bus-01/gps', JSON.stringify(report), { qos: 1 })
      // One at a time, so that each is the newest of its batch whichever process takes it.
      await expect.poll(() => seen.every((s) => s.includes(ts)), { timeout: 10_000 }).toBe(true)
    }
    await device.endAsync()
    expect(seen).toEqual([sent, sent])
    // Which process stored which report is the broker's choice; between them, each report once.
    const ingested = await Promise.all(
      urls.map(async (url) => {
        const response = await fetch(`${url}/api/ingest/stats`, {
          headers: { authorization: `Bearer ${await tokenFor(bureau)}` },
        })
        return ((await response.json()) as { process: { positionsStored: number } }).process.positionsStored
      }),
    )
    expect(ingested.reduce((a, b) => a + b, 0)).toBe(6)

    for (const url of urls) {
      const newcomer = await watch(url)
      const state = new Promise<{ position: { ts: string } | null }>((resolve) =>
        newcomer.once('state', resolve),
      )
      expect(await newcomer.emitWithAck('subscribe', { busId: 'bus-01' })).toEqual({ ok: true })
      expect((await state).position?.ts).toBe(sent.at(-1))
    }
  }, 90_000)

  it('closes a parent’s socket on one process within 5 s of the bureau ending the session on the other', async () => {
    const [guardian] = await database.db.query<{ guardian_id: string }>(
      'SELECT guardian_id FROM pupil_guardians ORDER BY guardian_id LIMIT 1',
    )
    const phone = await sessionFor({ kind: 'guardian', guardianId: guardian!.guardian_id })
    const parent = await watch(urls[1]!, phone.token)
    const told = new Promise<{ code?: string }>((resolve) => parent.once('unsubscribed', resolve))
    const closed = new Promise<string>((resolve) => parent.once('disconnect', resolve))
    const endedAt = Date.now()
    const response = await fetch(`${urls[0]}/api/sessions/${phone.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${await tokenFor(bureau)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'custody changed' }),
    })
    expect(response.status).toBe(200)
    expect(await told).toMatchObject({ code: 'session_ended' })
    expect(await closed).toBe('io server disconnect')
    expect(Date.now() - endedAt).toBeLessThan(5000)
    const again = connectSocket(urls[1]!, {
      auth: { token: phone.token },
      transports: ['websocket'],
      reconnection: false,
    })
    sockets.push(again)
    await expect(new Promise((resolve) => again.once('connect_error', resolve))).resolves.toMatchObject({
      message: 'this session has been ended',
    })
  }, 30_000)
})
