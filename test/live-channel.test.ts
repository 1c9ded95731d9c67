import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { io as connectSocket, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Principal } from '../server/auth/principal.js'
import { attachLiveChannel, type LiveChannel } from '../server/live/live-channel.js'
import { createLogger } from '../server/log/logger.js'
import type { Database } from '../server/store/database.js'
import { migrateDatabase } from '../server/store/migrate-database.js'
import { openPgliteDatabase } from '../server/store/pglite-database.js'
import { loadTwoSchoolsTwoBuses, scenario } from './scenarios/two-schools-two-buses.js'
import { createTestAccess, scenarioPrincipals, settableClock } from './support/test-platform-parts.js'
import { testServiceUrl } from './support/test-service-url.js'

const log = createLogger({ level: 'silent' })
const clock = settableClock(scenario.monday0710)
let db: Database
let testAccess: ReturnType<typeof createTestAccess>
const sockets: Socket[] = []

async function startNode(redisUrl?: string) {
  const server: Server = createServer()
  const live = await attachLiveChannel(server, {
    tokens: testAccess.tokens,
    access: testAccess.access,
    log,
    redisUrl,
    rescopeIntervalMs: 0,
    snapshotOf: async (busId) => ({ busId, position: { busId, ts: '2026-03-02T07:09:00.000Z' }, eta: null }),
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { live, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

async function connectAs(url: string, principal: Principal | undefined) {
  const socket = connectSocket(url, {
    auth: principal ? { token: await testAccess.tokenFor(principal) } : {},
    transports: ['websocket'],
    reconnection: false,
  })
  sockets.push(socket)
  return new Promise<Socket>((resolve, reject) => {
    socket.once('connect', () => resolve(socket))
    socket.once('connect_error', reject)
  })
}

const subscribe = (socket: Socket, busId: unknown) =>
  socket.emitWithAck('subscribe', { busId }) as Promise<{ ok: boolean; error?: { code: string } }>

function nextEvent(socket: Socket, event: string, timeoutMs = 3000) {
  return new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs)
    socket.once(event, (payload: unknown) => {
      clearTimeout(timer)
      resolve(payload)
    })
  })
}

beforeAll(async () => {
  db = await openPgliteDatabase()
  await migrateDatabase(db)
  await loadTwoSchoolsTwoBuses(db)
  testAccess = createTestAccess(db, clock)
})
afterAll(async () => {
  for (const socket of sockets) socket.disconnect()
  await db.close()
})

describe('live channel on one node', () => {
  let node: { live: LiveChannel; url: string }
  beforeAll(async () => {
    node = await startNode()
  })
  afterAll(() => node.live.close())

  it('refuses a handshake without a valid token', async () => {
    await expect(connectAs(node.url, undefined)).rejects.toThrow(/access token is required/)
    const socket = connectSocket(node.url, {
      auth: { token: 'forged' },
      transports: ['websocket'],
      reconnection: false,
    })
    sockets.push(socket)
    await expect(nextEvent(socket, 'connect_error')).resolves.toMatchObject({
      message: 'the access token is invalid',
    })
  })

  it('lets a parent watch their child’s bus and nothing else', async () => {
    clock.set(scenario.monday0710)
    const parent = await connectAs(node.url, scenarioPrincipals.parentP1)
    expect(await subscribe(parent, 'B1')).toEqual({ ok: true })
    expect(await subscribe(parent, 'B2')).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await subscribe(parent, 42)).toMatchObject({ ok: false, error: { code: 'bad_request' } })

    const seen: string[] = []
    parent.on('position', (p: { busId: string }) => seen.push(p.busId))
    node.live.publishToBus('B2', 'position', { busId: 'B2' })
    node.live.publishToBus('B1', 'position', { busId: 'B1' })
    await expect.poll(() => seen).toEqual(['B1'])
  })

  it('refuses a parent the bus once the trip is over', async () => {
    clock.set(scenario.monday0900)
    const parent = await connectAs(node.url, scenarioPrincipals.parentP1)
    expect(await subscribe(parent, 'B1')).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    clock.set(scenario.monday0710)
  })

  it('takes a parent out of the bus’s room once the child’s trip is over', async () => {
    clock.set(scenario.monday0710)
    const parent = await connectAs(node.url, scenarioPrincipals.parentP1)
    const attendant = await connectAs(node.url, scenarioPrincipals.attendantB1)
    expect(await subscribe(parent, 'B1')).toEqual({ ok: true })
    expect(await subscribe(attendant, 'B1')).toEqual({ ok: true })
    const parentSaw: unknown[] = []
    parent.on('position', (p: unknown) => parentSaw.push(p))
    const told = nextEvent(parent, 'unsubscribed')

    // The bus reached the child's stop at 07:21; ten minutes later the parent's view ends.
    await db.exec(`INSERT INTO events (bus_id, kind, ts, trip_id, details)
      VALUES ('B1', 'stop_arrival', '2026-03-02T07:21:00+08:00', 'T1', '{"stopId": "ST-S1", "seq": 3}')`)
    clock.set(new Date('2026-03-02T07:32:00+08:00'))
    expect(await node.live.rescope()).toBeGreaterThanOrEqual(1)
    expect(await told).toMatchObject({ busId: 'B1' })
    const attendantGets = nextEvent(attendant, 'position')
    node.live.publishToBus('B1', 'position', { busId: 'B1', seq: 9 })
    expect(await attendantGets).toEqual({ busId: 'B1', seq: 9 })
    expect(parentSaw).toEqual([])
    await db.exec(`DELETE FROM events WHERE bus_id = 'B1'`)
    clock.set(scenario.monday0710)
  })

  it('refuses a token whose scope was altered', async () => {
    const token = await testAccess.tokenFor(scenarioPrincipals.parentP1)
    const [header, payload, signature] = token.split('.')
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>
    const widened = Buffer.from(JSON.stringify({ ...claims, pupilIds: ['P1', 'P2'] })).toString('base64url')
    const socket = connectSocket(node.url, {
      auth: { token: [header, widened, signature].join('.') },
      transports: ['websocket'],
      reconnection: false,
    })
    sockets.push(socket)
    await expect(nextEvent(socket, 'connect_error')).resolves.toMatchObject({
      message: 'the access token is invalid',
    })
  })

  it('sends the bus’s latest state as soon as a watcher joins, and again after a reconnect', async () => {
    clock.set(scenario.monday0710)
    for (let attempt = 0; attempt < 2; attempt++) {
      const parent = await connectAs(node.url, scenarioPrincipals.parentP1)
      const state = nextEvent(parent, 'state')
      expect(await subscribe(parent, 'B1')).toEqual({ ok: true })
      expect(await state).toMatchObject({ busId: 'B1', position: { ts: '2026-03-02T07:09:00.000Z' } })
      parent.disconnect()
    }
    const outsider = await connectAs(node.url, scenarioPrincipals.parentP2)
    const saw: unknown[] = []
    outsider.on('state', (s: unknown) => saw.push(s))
    expect(await subscribe(outsider, 'B1')).toMatchObject({ ok: false })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(saw).toEqual([])
  })

  it('tells a child’s news to that child’s parents only', async () => {
    const parentOfP1 = await connectAs(node.url, scenarioPrincipals.parentP1)
    const parentOfP2 = await connectAs(node.url, scenarioPrincipals.parentP2)
    const attendant = await connectAs(node.url, scenarioPrincipals.attendantB1)
    const others: unknown[] = []
    for (const socket of [parentOfP2, attendant]) socket.on('notice', (n: unknown) => others.push(n))
    const told = nextEvent(parentOfP1, 'notice')
    node.live.publishToPupil('P1', 'notice', { kind: 'boarded', pupilId: 'P1' })
    expect(await told).toEqual({ kind: 'boarded', pupilId: 'P1' })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(others).toEqual([])
  })

  it('disconnects a socket whose token has expired', async () => {
    clock.set(scenario.monday0710)
    const attendant = await connectAs(node.url, scenarioPrincipals.attendantB1)
    expect(await subscribe(attendant, 'B1')).toEqual({ ok: true })
    const gone = new Promise<void>((resolve) => attendant.once('disconnect', () => resolve()))
    clock.set(new Date(scenario.monday0710.getTime() + 3601_000))
    await node.live.rescope()
    await gone
    expect(attendant.connected).toBe(false)
    clock.set(scenario.monday0710)
  })
})

const redisUrl = testServiceUrl('TEST_REDIS_URL')
// Several server processes only exist where Redis carries the fan-out between them.
if (redisUrl) {
  describe('live channel across two nodes over Redis', () => {
    let nodes: { live: LiveChannel; url: string }[]
    beforeAll(async () => {
      nodes = [await startNode(redisUrl), await startNode(redisUrl)]
    })
    afterAll(async () => {
      await Promise.all(nodes.map((n) => n.live.close()))
    })

    it('delivers an event published on one node to watchers on both', async () => {
      const onA = await connectAs(nodes[0]!.url, scenarioPrincipals.attendantB1)
      const onB = await connectAs(nodes[1]!.url, scenarioPrincipals.schoolS1)
      const outsider = await connectAs(nodes[1]!.url, scenarioPrincipals.attendantB2)
      expect(await subscribe(onA, 'B1')).toEqual({ ok: true })
      expect(await subscribe(onB, 'B1')).toEqual({ ok: true })
      expect(await subscribe(outsider, 'B2')).toEqual({ ok: true })
      const outsiderSaw: unknown[] = []
      outsider.on('position', (p: unknown) => outsiderSaw.push(p))

      const arrivals = Promise.all([nextEvent(onA, 'position'), nextEvent(onB, 'position')])
      nodes[0]!.live.publishToBus('B1', 'position', { busId: 'B1', seq: 7 })
      expect(await arrivals).toEqual([
        { busId: 'B1', seq: 7 },
        { busId: 'B1', seq: 7 },
      ])
      expect(nodes.every((n) => n.live.isUp())).toBe(true)
      expect(outsiderSaw).toEqual([])
    })
  })
}
