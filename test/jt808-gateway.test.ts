import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../server/core/clock/clock.js'
import {
  encodeAuthenticate,
  encodeHeartbeat,
  encodeLocation,
  encodeLocationBatch,
  encodeRegister,
} from '../server/core/jt808/encode-terminal-messages.js'
import type { Jt808Registration } from '../server/core/jt808/decode-register.js'
import { jt808MessageIds as ids } from '../server/core/jt808/message-ids.js'
import type { StartedParts } from '../server/parts/part-registry.js'
import type { ProcessContext } from '../server/parts/process-context.js'
import { startJt808Platform, type Jt808Platform } from './support/jt808-platform.js'
import {
  connectTestTerminal,
  corruptFrame,
  testLocation,
  type PlatformReply,
  type TestTerminal,
} from './support/jt808-test-terminal.js'

/**
 * The jt808 part in a process of the platform, on the embedded store, with real terminals over TCP:
 * B1's terminal is 013800138001 (as a 2013 header pads it), B2's is stored without the leading zero.
 */
const b1Terminal = '013800138001'
const b2Terminal = '013800138002'
const registration = (plate: string): Jt808Registration => ({
  provinceId: 33,
  cityId: 282,
  makerId: 'TEST1',
  model: 'BUS-GPS',
  terminalId: 'T000001',
  plateColor: 2,
  plate,
})

let platform: Jt808Platform
let context: ProcessContext
let parts: StartedParts
let httpUrl: string
let port: number
const terminals: TestTerminal[] = []

beforeAll(async () => {
  platform = await startJt808Platform({
    name: 'jt808',
    clock: systemClock,
    terminals: { B1: b1Terminal, B2: '13800138002' },
  })
  ;({ context, parts, httpUrl, port } = platform)
})

afterAll(async () => {
  for (const terminal of terminals) terminal.socket.destroy()
  await platform?.stop()
})

async function connect(terminalNumber: string) {
  const terminal = await connectTestTerminal({ port, terminalNumber })
  terminals.push(terminal)
  return terminal
}

const general = (reply: PlatformReply) => {
  if (reply.kind !== 'general') throw new Error(`expected 0x8001, got ${JSON.stringify(reply)}`)
  return { replyId: reply.replyId, result: reply.result }
}

const positionsAt = async (busId: string, at: Date[]) =>
  (
    await context.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM positions WHERE bus_id = $1 AND ts = ANY($2::timestamptz[])',
      [busId, at],
    )
  )[0]!.n

const deadLetters = (topic: string) =>
  context.db.query<{ reason: string; detail: string; payload_bytes: number }>(
    'SELECT reason, detail, payload_bytes FROM dead_letters WHERE topic = $1 ORDER BY id',
    [topic],
  )

const gatewayStats = () => parts.running.jt808!.stats()

describe('a terminal of a bus on the JT/T 808 gateway', () => {
  let terminal: TestTerminal
  let authCode: string
  const now = new Date()

  it('registers with its bus’s plate as terminals write it, and is given the bus’s credential', async () => {
    terminal = await connect(b1Terminal)
    const serial = terminal.send(ids.register, encodeRegister(registration('浙B10001')))
    const reply = await terminal.replyTo(serial)
    expect(reply).toMatchObject({ kind: 'register', result: 0 })
    authCode = (reply as { authCode: string }).authCode
    expect(authCode).toMatch(/^s1\./)
    const verified = await context.tokens.sessions.verify(authCode)
    expect(verified.principal).toMatchObject({ role: 'device', busId: 'B1' })
    const audited = await context.audit.list({ action: 'credential_rotated', limit: 5 })
    expect(audited[0]).toMatchObject({ actor: 'jt808-registration', target: 'B1' })
  })

  it('authenticates with the code and is answered its heartbeat', async () => {
    expect(
      general(
        await terminal.replyTo(
          terminal.send(ids.authenticate, encodeAuthenticate({ authCode, version: 2013 })),
        ),
      ),
    ).toEqual({
      replyId: ids.authenticate,
      result: 0,
    })
    expect(general(await terminal.replyTo(terminal.send(ids.heartbeat, encodeHeartbeat())))).toEqual({
      replyId: ids.heartbeat,
      result: 0,
    })
    expect(gatewayStats()).toMatchObject({ connections: 1, authenticated: 1 })
  })

  const single = testLocation(now, 60)
  const late = [testLocation(now, 300), testLocation(now, 295), testLocation(now, 290)]
  const nullIsland = testLocation(now, 285, { lat: 0, lon: 0 })
  let singleFrame: { serial: number; bytes: Buffer }
  let batchFrame: { serial: number; bytes: Buffer }

  it('has each report stored by the time its frame is answered', async () => {
    const storedBefore = gatewayStats().ingest.positionsStored
    singleFrame = terminal.frame(ids.location, encodeLocation(single))
    terminal.write(singleFrame.bytes)
    const reply = await terminal.replyTo(singleFrame.serial)
    // Read as the reply arrives, before anything else runs: the commit has been counted.
    expect(gatewayStats().ingest.positionsStored).toBe(storedBefore + 1)
    expect(general(reply)).toEqual({ replyId: ids.location, result: 0 })
    expect(await positionsAt('B1', [single.at])).toBe(1)

    batchFrame = terminal.frame(
      ids.locationBatch,
      encodeLocationBatch({ type: 1, locations: [...late, nullIsland] }),
    )
    terminal.write(batchFrame.bytes)
    expect(general(await terminal.replyTo(batchFrame.serial))).toEqual({
      replyId: ids.locationBatch,
      result: 0,
    })
    expect(
      await positionsAt(
        'B1',
        late.map((l) => l.at),
      ),
    ).toBe(3)
    // The location at 0,0 went to the ingest, which kept it as a dead letter.
    expect((await deadLetters('bus/B1/gps')).map((d) => d.reason)).toEqual(['null_island'])
    const [row] = await context.db.query<Record<string, unknown>>(
      'SELECT speed_kmh, heading_deg, alt_m, ignition FROM positions WHERE bus_id = $1 AND ts = $2',
      ['B1', single.at],
    )
    expect(row).toMatchObject({ speed_kmh: 24.5, heading_deg: 45, ignition: true })
  })

  it('stores the frames it sends again once each', async () => {
    const repliesBefore = terminal.replies.length
    terminal.write(Buffer.concat([singleFrame.bytes, batchFrame.bytes]))
    await expect.poll(() => terminal.replies.length, { timeout: 10_000 }).toBe(repliesBefore + 2)
    expect(await positionsAt('B1', [single.at, ...late.map((l) => l.at)])).toBe(4)
    expect((await deadLetters('bus/B1/gps')).length).toBe(1)
  })

  it('keeps the good frames around garbage and a bad checksum, and dead-letters the bad one', async () => {
    const before = gatewayStats()
    const first = terminal.frame(ids.location, encodeLocation(testLocation(now, 50)))
    const bad = terminal.frame(ids.location, encodeLocation(testLocation(now, 45)))
    const second = terminal.frame(ids.location, encodeLocation(testLocation(now, 40)))
    terminal.write(
      Buffer.concat([first.bytes, Buffer.from('not a frame at all'), corruptFrame(bad.bytes), second.bytes]),
    )
    expect(general(await terminal.replyTo(second.serial))).toMatchObject({ result: 0 })
    expect(general(await terminal.replyTo(first.serial))).toMatchObject({ result: 0 })
    expect(await positionsAt('B1', [testLocation(now, 50).at, testLocation(now, 40).at])).toBe(2)
    expect(await positionsAt('B1', [testLocation(now, 45).at])).toBe(0)
    // Bad checksums are not answered: the terminal sends the frame again.
    expect(terminal.replies.some((r) => r.kind === 'general' && r.replySerial === bad.serial)).toBe(false)
    await expect
      .poll(async () => (await deadLetters(`jt808/${b1Terminal}`)).map((d) => d.reason))
      .toEqual(['bad_frame'])
    expect((await deadLetters(`jt808/${b1Terminal}`))[0]!.detail).toMatch(/^bad_checksum/)
    const after = gatewayStats()
    expect(after.dropped.garbage).toBe(before.dropped.garbage + 1)
    expect(after.dropped.bad_checksum).toBe(before.dropped.bad_checksum + 1)
    expect(after.ingest.deadLetters.bad_frame).toBeGreaterThanOrEqual(1)
  })

  it('reads two frames in one write, and one frame cut across two writes', async () => {
    const [a, b, c] = [35, 30, 25].map((ago) =>
      terminal.frame(ids.location, encodeLocation(testLocation(now, ago))),
    )
    terminal.write(Buffer.concat([a!.bytes, b!.bytes]))
    const cut = 9
    terminal.write(c!.bytes.subarray(0, cut))
    await new Promise((resolve) => setTimeout(resolve, 50))
    terminal.write(c!.bytes.subarray(cut))
    for (const frame of [a!, b!, c!]) expect(general(await terminal.replyTo(frame.serial)).result).toBe(0)
    expect(
      await positionsAt(
        'B1',
        [35, 30, 25].map((ago) => testLocation(now, ago).at),
      ),
    ).toBe(3)
  })

  it('answers an unknown message id with result 3 and keeps it as a dead letter', async () => {
    const serial = terminal.send(0x0f01, Buffer.from('vendor data'))
    expect(general(await terminal.replyTo(serial))).toEqual({ replyId: 0x0f01, result: 3 })
    expect((await deadLetters(`jt808/${b1Terminal}`)).map((d) => d.detail)).toContainEqual(
      expect.stringMatching(/^unknown_message: message id 0x0f01/),
    )
  })

  it('is replaced by a second connection of the same terminal', async () => {
    const again = await connect(b1Terminal)
    expect(
      general(
        await again.replyTo(again.send(ids.authenticate, encodeAuthenticate({ authCode, version: 2013 }))),
      ).result,
    ).toBe(0)
    await terminal.closed
    expect(general(await again.replyTo(again.send(ids.heartbeat, encodeHeartbeat()))).result).toBe(0)
    expect(gatewayStats()).toMatchObject({ connections: 1, authenticated: 1 })
    expect(gatewayStats().closed.replaced).toBe(1)
    terminal = again
  })

  it('is refused a registration while its bus has a credential (result 3)', async () => {
    const other = await connect(b1Terminal)
    const reply = await other.replyTo(other.send(ids.register, encodeRegister(registration('浙B·10001'))))
    expect(reply).toMatchObject({ kind: 'register', result: 3, authCode: null })
    other.socket.destroy()
  })

  it('is disconnected within 5 s of its credential being ended', async () => {
    const started = Date.now()
    await context.tokens.sessions.revokeAllOf({ busId: 'B1' }, { actor: 'admin', reason: 'test' })
    await terminal.closed
    expect(Date.now() - started).toBeLessThan(5000)
    expect(gatewayStats().closed.session_ended).toBe(1)
  })
})

describe('terminals the gateway does not let in', () => {
  it('refuses reports before authentication, and stores nothing of them', async () => {
    const terminal = await connect(b2Terminal)
    const location = testLocation(new Date(), 20)
    const serial = terminal.send(ids.location, encodeLocation(location))
    expect(general(await terminal.replyTo(serial))).toEqual({ replyId: ids.location, result: 1 })
    expect(await positionsAt('B2', [location.at])).toBe(0)
    expect(gatewayStats().dropped.unauthenticated).toBeGreaterThanOrEqual(1)
    terminal.socket.destroy()
  })

  it('answers an unknown terminal 4 and a plate that is not its bus’s 2, and closes after three refusals', async () => {
    const stranger = await connect('019999999999')
    const unknown = await stranger.replyTo(
      stranger.send(ids.register, encodeRegister(registration('浙B10002'))),
    )
    expect(unknown).toMatchObject({ kind: 'register', result: 4 })
    stranger.socket.destroy()

    const terminal = await connect(b2Terminal)
    const wrongPlate = await terminal.replyTo(
      terminal.send(ids.register, encodeRegister(registration('浙B10001'))),
    )
    expect(wrongPlate).toMatchObject({ kind: 'register', result: 2 })
    const badCode = await terminal.replyTo(
      terminal.send(ids.authenticate, encodeAuthenticate({ authCode: 's1.nope.nope', version: 2013 })),
    )
    expect(general(badCode)).toEqual({ replyId: ids.authenticate, result: 1 })
    terminal.send(ids.authenticate, encodeAuthenticate({ authCode: 'guess', version: 2013 }))
    await terminal.closed
    expect(gatewayStats().closed.failed_attempts).toBe(1)
  })

  it('refuses B1’s code from B2’s terminal', async () => {
    const issued = await context.tokens.sessions.issue({ kind: 'device', busId: 'B1' }, { ttlS: 60 })
    const terminal = await connect(b2Terminal)
    const reply = await terminal.replyTo(
      terminal.send(ids.authenticate, encodeAuthenticate({ authCode: issued.token, version: 2013 })),
    )
    expect(general(reply).result).toBe(1)
    terminal.socket.destroy()
  })
})

describe('the gateway’s counters', () => {
  it('are in /api/ingest/stats under jt808', async () => {
    const token = await context.tokens.issue({ role: 'bureau', sub: 'bureau-1' })
    const response = await fetch(`${httpUrl}/api/ingest/stats`, {
      headers: { authorization: `Bearer ${token}` },
    })
    const body = (await response.json()) as {
      process: {
        jt808: { frames: { received: number; byMessageId: Record<string, number> }; replies: number }
      }
      deadLettersByReason: Record<string, number>
    }
    expect(body.process.jt808.frames.received).toBeGreaterThan(10)
    expect(body.process.jt808.frames.byMessageId['0x0200']).toBeGreaterThan(3)
    expect(body.process.jt808.replies).toBeGreaterThan(10)
    expect(body.deadLettersByReason).toMatchObject({ bad_frame: 2, null_island: 1 })
  })
})

describe('a frame the gateway cannot read', () => {
  it('answers a registration it cannot read 2 and counts it, the connection open', async () => {
    const stranger = await connect(b2Terminal)
    const badBodies = gatewayStats().dropped.bad_body
    const serial = stranger.send(ids.register, Buffer.from([0x00, 0x21]))
    expect(general(await stranger.replyTo(serial))).toEqual({ replyId: ids.register, result: 2 })
    // Counted, not stored: before authenticating, anyone can connect and send anything.
    expect(gatewayStats().dropped.bad_body).toBe(badBodies + 1)
    expect(await deadLetters(`jt808/${b2Terminal}`)).toEqual([])
    // Still connected: its heartbeat before authenticating is answered, refused.
    expect(general(await stranger.replyTo(stranger.send(ids.heartbeat, encodeHeartbeat())))).toEqual({
      replyId: ids.heartbeat,
      result: 1,
    })
    stranger.socket.destroy()
  })
})
