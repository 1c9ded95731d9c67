import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { io as connectSocket, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AccessPolicy } from '../server/core/auth/access-policy.js'
import type { Principal } from '../server/core/auth/principal.js'
import { attachLiveChannel, type LiveChannel } from '../server/live/live-channel.js'
import type { SubscribeLimits } from '../server/live/subscribe-limits.js'
import { createLogger } from '../server/core/log/logger.js'
import type { Database } from '../server/core/store/database.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { openPgliteDatabase } from '../server/core/store/pglite-database.js'
import { loadTwoSchoolsTwoBuses, scenario } from './scenarios/two-schools-two-buses.js'
import { createAccessTokens } from '../server/core/auth/access-tokens.js'
import {
  createTestAccess,
  scenarioPrincipals,
  settableClock,
  testSecret,
} from './support/test-platform-parts.js'
import { testServiceUrl } from './support/test-service-url.js'
import { runsEmbedded } from './support/test-level.js'

const log = createLogger({ level: 'silent' })
const clock = settableClock(scenario.monday0710)
let db: Database
let testAccess: ReturnType<typeof createTestAccess>
const sockets: Socket[] = []

async function startNode(
  options: {
    redisUrl?: string
    access?: AccessPolicy
    subscribeLimits?: Partial<SubscribeLimits>
    port?: number
    closeGraceMs?: number
  } = {},
) {
  const server: Server = createServer()
  const live = await attachLiveChannel(server, {
    tokens: testAccess.tokens,
    access: options.access ?? testAccess.access,
    log,
    redisUrl: options.redisUrl,
    clock,
    subscribeLimits: options.subscribeLimits,
    rescopeIntervalMs: 0,
    closeGraceMs: options.closeGraceMs,
    snapshotOf: async (busId) => ({ busId, position: { busId, ts: '2026-03-02T07:09:00.000Z' }, eta: null }),
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  return { live, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

async function connectAs(url: string, principal: Principal | undefined) {
  return connectWithToken(url, principal ? await testAccess.tokenFor(principal) : undefined)
}

function connectWithToken(url: string, token: string | undefined) {
  const socket = connectSocket(url, {
    auth: token ? { token } : {},
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

/** A handshake with a token that is not one of ours (or no longer is) is refused, saying why. */
async function expectInvalidTokenRefused(
  url: string,
  token: string,
  message = 'the access token is invalid',
) {
  const socket = connectSocket(url, { auth: { token }, transports: ['websocket'], reconnection: false })
  sockets.push(socket)
  await expect(nextEvent(socket, 'connect_error')).resolves.toMatchObject({ message })
}

/** Every message a socket receives, in order, but the snapshot sent on subscribe. */
function recordMessages(socket: Socket) {
  const heard: [string, unknown][] = []
  socket.onAny((event: string, payload: unknown) => {
    if (event !== 'state') heard.push([event, payload])
  })
  return heard
}

const alarmOf = (busId: string, schoolId: string) => ({
  busId,
  kind: 'child_left_on_bus',
  ts: '2026-03-02T07:30:00.000Z',
  details: {
    schoolId,
    pupils: [{ pupilId: 'P9', name: 'Another Pupil' }],
    contacts: [{ role: 'driver', name: 'Driver One', phone: '13800000001' }],
  },
  acknowledgedBy: null,
})

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

if (runsEmbedded)
  describe('live channel on one node', () => {
    let node: { live: LiveChannel; url: string }
    beforeAll(async () => {
      node = await startNode()
    })
    afterAll(() => node.live.close())

    it('refuses a handshake without a valid token', async () => {
      await expect(connectAs(node.url, undefined)).rejects.toThrow(/access token is required/)
      await expectInvalidTokenRefused(node.url, 'forged')
    })

    it('lets a parent watch their child’s bus and nothing else', async () => {
      clock.set(scenario.monday0710)
      const parent = await connectAs(node.url, scenarioPrincipals.parentP1)
      expect(await subscribe(parent, 'B1')).toEqual({ ok: true })
      expect(await subscribe(parent, 'B2')).toMatchObject({ ok: false, error: { code: 'forbidden' } })
      expect(await subscribe(parent, 42)).toMatchObject({ ok: false, error: { code: 'bad_request' } })

      const seen: string[] = []
      parent.on('position', (p: { busId: string }) => seen.push(p.busId))
      node.live.publishToBusWatchers('B2', 'position', { busId: 'B2' })
      node.live.publishToBusWatchers('B1', 'position', { busId: 'B1' })
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
      node.live.publishToBusWatchers('B1', 'position', { busId: 'B1', seq: 9 })
      expect(await attendantGets).toEqual({ busId: 'B1', seq: 9 })
      expect(parentSaw).toEqual([])
      await db.exec(`DELETE FROM events WHERE bus_id = 'B1'`)
      clock.set(scenario.monday0710)
    })

    it('refuses an altered session, and a signed token naming a person (only sessions can be ended)', async () => {
      const session = await testAccess.tokenFor(scenarioPrincipals.parentP1)
      await expectInvalidTokenRefused(
        node.url,
        `${session.slice(0, -2)}${session.endsWith('AA') ? 'BB' : 'AA'}`,
      )
      const signed = await createAccessTokens({ secret: testSecret, ttlS: 3600, clock }).issue(
        scenarioPrincipals.parentP1,
      )
      await expectInvalidTokenRefused(
        node.url,
        signed,
        'sign in again: this kind of token is no longer accepted',
      )
    })

    it('closes a parent’s open socket within seconds of the session being ended', async () => {
      const token = await testAccess.tokenFor(scenarioPrincipals.parentP1)
      const parent = connectSocket(node.url, {
        auth: { token },
        transports: ['websocket'],
        reconnection: false,
      })
      await new Promise<void>((resolve, reject) => {
        parent.once('connect', () => resolve())
        parent.once('connect_error', reject)
      })
      const ended = new Promise<unknown>((resolve) => parent.once('unsubscribed', resolve))
      const closed = new Promise<string>((resolve) => parent.once('disconnect', resolve))
      const sessionId = token.split('.')[1]!
      expect(await testAccess.sessions.revoke(sessionId, { actor: 'bureau-1', reason: 'phone lost' })).toBe(
        true,
      )
      expect(await node.live.openSessionIds()).toContain(sessionId)
      node.live.endSessions(await testAccess.sessions.endedAmong(node.live.openSessionIds()))
      expect(await ended).toMatchObject({ code: 'session_ended' })
      expect(await closed).toBe('io server disconnect')
      await expectInvalidTokenRefused(node.url, token, 'this session has been ended')
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

    it('sends alarms and stop events to the staff responsible for the bus, never to its parents', async () => {
      clock.set(scenario.monday0710)
      const parent = await connectAs(node.url, scenarioPrincipals.parentP1)
      const attendant = await connectAs(node.url, scenarioPrincipals.attendantB1)
      const [school, otherSchool, bureau] = await Promise.all(
        [scenarioPrincipals.schoolS1, scenarioPrincipals.schoolS2, scenarioPrincipals.bureau].map((p) =>
          connectAs(node.url, p),
        ),
      )
      expect(await subscribe(parent, 'B1')).toEqual({ ok: true })
      expect(await subscribe(attendant, 'B1')).toEqual({ ok: true })
      const heard = {
        parent: recordMessages(parent),
        attendant: recordMessages(attendant),
        school: recordMessages(school),
        otherSchool: recordMessages(otherSchool),
        bureau: recordMessages(bureau),
      }

      const alarm = alarmOf('B1', 'S1')
      const otherAlarm = alarmOf('B2', 'S2')
      const arrival = { busId: 'B1', kind: 'stop_arrival', details: { stopId: 'ST2', seq: 2 } }
      const position = { busId: 'B1', seq: 3 }
      const acknowledged = { ...alarm, acknowledgedBy: 'A1' }
      node.live.publishAlarm(alarm)
      node.live.publishToBusStaff('B1', 'event', arrival)
      node.live.publishAlarm(otherAlarm)
      node.live.publishToBusWatchers('B1', 'position', position)
      node.live.publishAlarm(acknowledged)

      // Each socket hears in the order sent: once its last message is in, nothing earlier is on the way.
      const last = (messages: [string, unknown][]) => messages.at(-1)?.[1]
      await expect.poll(() => last(heard.parent)).toEqual(position)
      for (const staff of [heard.attendant, heard.school, heard.bureau])
        await expect.poll(() => last(staff)).toEqual(acknowledged)
      await expect.poll(() => last(heard.otherSchool)).toEqual(otherAlarm)
      expect(heard).toEqual({
        parent: [['position', position]],
        attendant: [
          ['event', alarm],
          ['event', arrival],
          ['position', position],
          ['event', acknowledged],
        ],
        school: [
          ['event', alarm],
          ['event', acknowledged],
        ],
        otherSchool: [['event', otherAlarm]],
        bureau: [
          ['event', alarm],
          ['event', otherAlarm],
          ['event', acknowledged],
        ],
      })
    })

    it('refuses to publish an event to an audience not given it, even when the types are bypassed', () => {
      const untyped = node.live as unknown as Record<string, (...args: unknown[]) => void>
      expect(() => untyped.publishToPupil!('P1', 'event', alarmOf('B1', 'S1'))).toThrow(
        "'event' is not a live event for guardians",
      )
      expect(() => untyped.publishToBusWatchers!('B1', 'event', alarmOf('B1', 'S1'))).toThrow(
        "'event' is not a live event for bus_watchers",
      )
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

if (runsEmbedded)
  describe('subscribe limits', () => {
    const limits = {
      socketBurst: 5,
      socketPerS: 1,
      tokenBurst: 8,
      tokenPerS: 1,
      socketsPerToken: 3,
      busesPerSocket: 2,
      refusalsBeforeDisconnect: 5,
    }
    /** Who each scope check was for: the work a subscribe costs the server. */
    const scopeChecks: string[] = []
    let node: { live: LiveChannel; url: string }
    beforeAll(async () => {
      const counting: AccessPolicy = {
        ...testAccess.access,
        canSeeBus: (principal, busId) => {
          scopeChecks.push(principal.sub)
          return testAccess.access.canSeeBus(principal, busId)
        },
      }
      // The clock stands still, so no bucket refills while a test runs.
      clock.set(scenario.monday0710)
      node = await startNode({ access: counting, subscribeLimits: limits })
    })
    afterAll(() => node.live.close())

    const outcome = (answer: { ok: boolean; error?: { code: string } }) =>
      answer.ok ? 'ok' : answer.error!.code

    it('refuses a flood of subscribes beyond the burst without work, disconnects it, and still serves others', async () => {
      const flooder = await connectAs(node.url, scenarioPrincipals.attendantB1)
      const answers: string[] = []
      const told = nextEvent(flooder, 'unsubscribed')
      const gone = new Promise<string>((resolve) => flooder.once('disconnect', resolve))
      for (let i = 0; i < 5000; i++)
        flooder.emit('subscribe', { busId: 'B1' }, (a: never) => answers.push(outcome(a)))
      expect(await told).toEqual({ reason: 'too many subscribes' })
      expect(await gone).toBe('io server disconnect')
      expect(scopeChecks.filter((sub) => sub === 'A1')).toHaveLength(limits.socketBurst)
      expect(answers.filter((a) => a === 'rate_limited')).toHaveLength(limits.refusalsBeforeDisconnect - 1)
      expect(answers.filter((a) => a !== 'rate_limited' && a !== 'ok')).toEqual([])

      const school = await connectAs(node.url, scenarioPrincipals.schoolS1)
      const state = nextEvent(school, 'state')
      expect(await subscribe(school, 'B1')).toEqual({ ok: true })
      expect(await state).toMatchObject({ busId: 'B1' })
    })

    it('shares one budget among the sockets of a token, and caps how many it opens', async () => {
      const token = await testAccess.tokens.issue(scenarioPrincipals.bureau, { ttlS: 600 })
      const own = await Promise.all([1, 2, 3].map(() => connectWithToken(node.url, token)))
      const answers = await Promise.all(
        own.flatMap((socket) => [1, 2, 3, 4].map(() => subscribe(socket, 'B1'))),
      )
      expect(answers.map(outcome).sort()).toEqual([...Array(8).fill('ok'), ...Array(4).fill('rate_limited')])

      await expect(connectWithToken(node.url, token)).rejects.toThrow(
        'too many connections with this access token',
      )
      const closed = new Promise((resolve) => own[0]!.once('disconnect', resolve))
      own[0]!.disconnect()
      await closed
      await expect
        .poll(async () => connectWithToken(node.url, token).then(() => 'connected', String))
        .toBe('connected')
    })

    it('caps the buses one socket watches', async () => {
      const bureau = await connectWithToken(
        node.url,
        await testAccess.tokens.issue(scenarioPrincipals.bureau, { ttlS: 900 }),
      )
      expect(await subscribe(bureau, 'B1')).toEqual({ ok: true })
      expect(await subscribe(bureau, 'B2')).toEqual({ ok: true })
      expect(await subscribe(bureau, 'B3')).toMatchObject({ ok: false, error: { code: 'too_many_buses' } })
      expect(await subscribe(bureau, 'B1')).toEqual({ ok: true })
      bureau.emit('unsubscribe', { busId: 'B2' })
      expect(await subscribe(bureau, 'B3')).toEqual({ ok: true })
    })
  })

if (runsEmbedded)
  describe('live channel closing', () => {
    it('drops the transports, so that clients reconnect by themselves to the server started again', async () => {
      const first = await startNode()
      const port = Number(new URL(first.url).port)
      const token = await testAccess.tokenFor(scenarioPrincipals.attendantB1)
      const socket = connectSocket(first.url, {
        auth: { token },
        transports: ['websocket'],
        reconnectionDelay: 100,
        reconnectionDelayMax: 300,
      })
      sockets.push(socket)
      await nextEvent(socket, 'connect')
      expect(await subscribe(socket, 'B1')).toEqual({ ok: true })

      const dropped = nextEvent(socket, 'disconnect')
      await first.live.close()
      // Not 'io server disconnect', after which a socket.io client never tries again.
      expect(await dropped).toBe('transport close')
      expect(socket.active).toBe(true)

      const second = await startNode({ port })
      try {
        await nextEvent(socket, 'connect', 5000)
        const state = nextEvent(socket, 'state')
        expect(await subscribe(socket, 'B1')).toEqual({ ok: true })
        expect(await state).toMatchObject({ busId: 'B1' })
      } finally {
        socket.disconnect()
        await second.live.close()
      }
    })

    it('finishes within its grace period while a request is still under way', async () => {
      const node = await startNode({ closeGraceMs: 300 })
      // Nothing answers this request: only the grace period ends it.
      const hanging = fetch(`${node.url}/never-answered`).catch(() => 'cut')
      await new Promise((resolve) => setTimeout(resolve, 100))
      const startedMs = Date.now()
      await node.live.close()
      expect(Date.now() - startedMs).toBeLessThan(2000)
      expect(await hanging).toBe('cut')
    })
  })

const redisUrl = testServiceUrl('TEST_REDIS_URL')
// Several server processes only exist where Redis carries the fan-out between them.
if (redisUrl) {
  describe('live channel across two nodes over Redis', () => {
    let nodes: { live: LiveChannel; url: string }[]
    beforeAll(async () => {
      nodes = [await startNode({ redisUrl }), await startNode({ redisUrl })]
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
      nodes[0]!.live.publishToBusWatchers('B1', 'position', { busId: 'B1', seq: 7 })
      expect(await arrivals).toEqual([
        { busId: 'B1', seq: 7 },
        { busId: 'B1', seq: 7 },
      ])
      expect(nodes.every((n) => n.live.isUp())).toBe(true)
      expect(outsiderSaw).toEqual([])
    })

    it('keeps alarms published on one node from the parents watching the bus on the other', async () => {
      clock.set(scenario.monday0710)
      const parent = await connectAs(nodes[1]!.url, scenarioPrincipals.parentP1)
      const attendant = await connectAs(nodes[1]!.url, scenarioPrincipals.attendantB1)
      expect(await subscribe(parent, 'B1')).toEqual({ ok: true })
      expect(await subscribe(attendant, 'B1')).toEqual({ ok: true })
      const heard = { parent: recordMessages(parent), attendant: recordMessages(attendant) }

      const alarm = alarmOf('B1', 'S1')
      const arrival = { busId: 'B1', kind: 'stop_arrival', details: { stopId: 'ST2', seq: 2 } }
      const position = { busId: 'B1', seq: 8 }
      nodes[0]!.live.publishAlarm(alarm)
      nodes[0]!.live.publishToBusStaff('B1', 'event', arrival)
      nodes[0]!.live.publishToBusWatchers('B1', 'position', position)
      // One Redis connection carries a node's broadcasts in the order they were published.
      await expect.poll(() => heard.parent.at(-1)?.[1]).toEqual(position)
      await expect.poll(() => heard.attendant.at(-1)?.[1]).toEqual(position)
      expect(heard).toEqual({
        parent: [['position', position]],
        attendant: [
          ['event', alarm],
          ['event', arrival],
          ['position', position],
        ],
      })
    })
  })
}
