import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Clock } from '../server/core/clock/clock.js'
import { encodeGeneralReply } from '../server/core/jt808/encode-replies.js'
import {
  encodeAuthenticate,
  encodeLocationQueryReply,
} from '../server/core/jt808/encode-terminal-messages.js'
import { decodeGbkText } from '../server/core/jt808/gbk.js'
import { jt808MessageIds as ids } from '../server/core/jt808/message-ids.js'
import { createLogger } from '../server/core/log/logger.js'
import type { ProcessContext } from '../server/parts/process-context.js'
import { startJt808Terminal } from '../workers/simulator/jt808-terminal.js'
import { startJt808Platform, type Jt808Platform } from './support/jt808-platform.js'
import { connectTestTerminal, testLocation, type TestTerminal } from './support/jt808-test-terminal.js'

/**
 * The bureau's commands to terminals, through the API and the jt808 part of one process, with a
 * real terminal over TCP. The clock can be moved on, so answers time out and commands expire
 * without waiting for them. B1's terminal is connected; B2's is not until the last test.
 */
const b1Terminal = '013800138001'
const b2Terminal = '013800138002'
const b3Terminal = '013800138003'
let offsetMs = 0
const clock: Clock = { now: () => new Date(Date.now() + offsetMs) }

let platform: Jt808Platform
let context: ProcessContext
let httpUrl: string
let port: number
const tokens = { bureau: '', schoolS1: '', schoolS2: '' }
const terminals: TestTerminal[] = []
let terminal: TestTerminal

beforeAll(async () => {
  platform = await startJt808Platform({
    name: 'jt808-commands',
    clock,
    terminals: { B1: b1Terminal, B2: b2Terminal },
  })
  ;({ context, httpUrl, port } = platform)
  await context.db.query(
    `INSERT INTO buses (id, plate, town_id, kind, seats, operator, terminal_no)
     VALUES ('B3', '浙B·10003', 'longshan', 'school_bus', 36, 'Test operator', $1)`,
    [b3Terminal],
  )
  const day = { ttlS: 86_400 }
  tokens.bureau = await context.tokens.issue({ role: 'bureau', sub: 'bureau-1' }, day)
  tokens.schoolS1 = await context.tokens.issue({ role: 'school', sub: 'school-1', schoolId: 'S1' }, day)
  tokens.schoolS2 = await context.tokens.issue({ role: 'school', sub: 'school-2', schoolId: 'S2' }, day)
  terminal = await connectAuthenticated('B1', b1Terminal)
})

afterAll(async () => {
  for (const t of terminals) t.socket.destroy()
  await platform?.stop()
})

async function connectAuthenticated(busId: string, terminalNumber: string): Promise<TestTerminal> {
  const connected = await connectTestTerminal({ port, terminalNumber })
  terminals.push(connected)
  const { token } = await context.tokens.sessions.issue({ kind: 'device', busId }, { ttlS: 86_400 })
  const reply = await connected.replyTo(
    connected.send(ids.authenticate, encodeAuthenticate({ authCode: token, version: 2013 })),
  )
  expect(reply).toMatchObject({ kind: 'general', result: 0 })
  return connected
}

async function call(method: string, url: string, token: string, body?: unknown) {
  const response = await fetch(`${httpUrl}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, body: (await response.json()) as Record<string, any> }
}

const post = (busId: string, body: unknown, token = tokens.bureau) =>
  call('POST', `/api/buses/${busId}/commands`, token, body)

async function postCommand(busId: string, body: unknown): Promise<string> {
  const posted = await post(busId, body)
  expect(posted.status).toBe(202)
  return posted.body.command.id as string
}

async function commandState(busId: string, id: string): Promise<string | undefined> {
  const listed = await call('GET', `/api/buses/${busId}/commands`, tokens.bureau)
  expect(listed.status).toBe(200)
  return (listed.body.commands as { id: string; state: string }[]).find((c) => c.id === id)?.state
}

/** The terminal's 0x0001 to a command it received. */
function answerCommand(header: { serial: number; messageId: number }, result: number): void {
  terminal.send(
    ids.terminalGeneralReply,
    encodeGeneralReply({ replySerial: header.serial, replyId: header.messageId, result }),
  )
}

/** 0x8103 body: count, then id DWORD, length BYTE, value DWORD each. */
function readParameters(body: Buffer): Record<number, number> {
  const values: Record<number, number> = {}
  for (let i = 0, at = 1; i < body[0]!; i++, at += 9)
    values[body.readUInt32BE(at)] = body.readUInt32BE(at + 5)
  return values
}

describe('the bureau’s commands to a connected terminal', () => {
  it('sets the regulation’s parameters, and records the terminal’s answer', async () => {
    const posted = await post('B1', { kind: 'parameters' })
    expect(posted.status).toBe(202)
    expect(posted.body.command).toMatchObject({
      busId: 'B1',
      kind: 'parameters',
      params: { reportIntervalS: 10, topSpeedKmh: 60, overSpeedS: 5 },
      state: 'pending',
      createdBy: 'bureau-1',
    })
    const id = posted.body.command.id as string
    const received = await terminal.command(ids.setParameters)
    expect(readParameters(received.body)).toEqual({ 0x0029: 10, 0x0055: 60, 0x0056: 5 })
    answerCommand(received.header, 0)
    await expect.poll(() => commandState('B1', id), { timeout: 5000 }).toBe('ok')
    const audited = await context.audit.list({ action: 'terminal_command', limit: 5 })
    expect(audited[0]).toMatchObject({ actor: 'bureau-1', target: 'B1', detail: { commandId: id } })
  })

  it('sets an expressway’s top speed when asked, within the regulation', async () => {
    const id = await postCommand('B1', { kind: 'parameters', topSpeedKmh: 80, reportIntervalS: 5 })
    const received = await terminal.command(ids.setParameters)
    expect(readParameters(received.body)).toEqual({ 0x0029: 5, 0x0055: 80, 0x0056: 5 })
    answerCommand(received.header, 1)
    await expect.poll(() => commandState('B1', id), { timeout: 5000 }).toBe('failed')
  })

  it('shows a text on the driver’s display, in GBK, read aloud when asked', async () => {
    const id = await postCommand('B1', { kind: 'text', text: '前方学校，请减速慢行', ttsRead: true })
    const received = await terminal.command(ids.text)
    expect(received.body[0]).toBe(0x04 | 0x08)
    expect(decodeGbkText(received.body.subarray(1))).toBe('前方学校，请减速慢行')
    answerCommand(received.header, 0)
    await expect.poll(() => commandState('B1', id), { timeout: 5000 }).toBe('ok')
  })

  it('asks for the position, and stores the one the terminal answers with', async () => {
    const id = await postCommand('B1', { kind: 'position_query' })
    const received = await terminal.command(ids.locationQuery)
    expect(received.body.length).toBe(0)
    const location = testLocation(clock.now(), 3)
    const repliesBefore = terminal.replies.length
    terminal.send(ids.locationQueryReply, encodeLocationQueryReply(received.header.serial, location))
    await expect.poll(() => commandState('B1', id), { timeout: 5000 }).toBe('ok')
    await expect
      .poll(
        async () =>
          (
            await context.db.query<{ n: number }>(
              'SELECT count(*)::int AS n FROM positions WHERE bus_id = $1 AND ts = $2',
              ['B1', location.at],
            )
          )[0]!.n,
        { timeout: 5000 },
      )
      .toBe(1)
    // 0x0201 is itself an answer: the platform sends nothing back for it.
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(terminal.replies.slice(repliesBefore).filter((r) => r.kind === 'general')).toEqual([])
  })

  it('times a command out when the terminal does not answer, and keeps that outcome', async () => {
    const id = await postCommand('B1', { kind: 'position_query' })
    const received = await terminal.command(ids.locationQuery)
    expect(await commandState('B1', id)).toBe('sent')
    offsetMs += 31_000
    await expect.poll(() => commandState('B1', id), { timeout: 5000 }).toBe('timed_out')
    answerCommand(received.header, 0)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await commandState('B1', id)).toBe('timed_out')
  })
})

describe('a command for a bus whose terminal is not connected', () => {
  it('waits, and is not_connected once it expires', async () => {
    const id = await postCommand('B2', { kind: 'text', text: '请回电' })
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(await commandState('B2', id)).toBe('pending')
    offsetMs += 11 * 60_000
    await expect.poll(() => commandState('B2', id), { timeout: 5000 }).toBe('not_connected')
  })

  it('is sent once the terminal authenticates', async () => {
    const id = await postCommand('B2', { kind: 'position_query' })
    const b2 = await connectAuthenticated('B2', b2Terminal)
    const received = await b2.command(ids.locationQuery)
    b2.send(
      ids.terminalGeneralReply,
      encodeGeneralReply({ replySerial: received.header.serial, replyId: ids.locationQuery, result: 3 }),
    )
    await expect.poll(() => commandState('B2', id), { timeout: 5000 }).toBe('unsupported')
  })
})

describe('the simulator’s terminal', () => {
  it('answers a position query with the position it last reported', async () => {
    const { token } = await context.tokens.sessions.issue({ kind: 'device', busId: 'B3' }, { ttlS: 86_400 })
    const simulated = startJt808Terminal({
      host: '127.0.0.1',
      port,
      terminalNumber: b3Terminal,
      registration: {
        provinceId: 33,
        cityId: 282,
        makerId: 'SIM01',
        model: 'SIM',
        terminalId: 'SIM0003',
        plateColor: 2,
        plate: '浙B10003',
      },
      authCode: token,
      log: createLogger({ level: 'silent' }),
    })
    try {
      const location = testLocation(clock.now(), 2, { lat: 30.2 })
      expect(await simulated.sendLocation(location)).toBe(true)
      const id = await postCommand('B3', { kind: 'position_query' })
      await expect.poll(() => commandState('B3', id), { timeout: 5000 }).toBe('ok')
      const parameters = await postCommand('B3', { kind: 'parameters' })
      await expect.poll(() => commandState('B3', parameters), { timeout: 5000 }).toBe('ok')
    } finally {
      await simulated.close()
    }
  })
})

describe('who may send commands, and what', () => {
  it('lets the school a bus serves see its commands, never send one', async () => {
    const seen = await call('GET', '/api/buses/B1/commands', tokens.schoolS1)
    expect(seen.status).toBe(200)
    expect(seen.body.commands.length).toBeGreaterThanOrEqual(5)
    // Newest first.
    const created = (seen.body.commands as { createdAt: string }[]).map((c) => Date.parse(c.createdAt))
    expect(created).toEqual([...created].sort((a, b) => b - a))
    expect((await post('B1', { kind: 'position_query' }, tokens.schoolS1)).status).toBe(403)
    expect((await call('GET', '/api/buses/B1/commands', tokens.schoolS2)).status).toBe(403)
  })

  it('answers 400 naming the field, and 404 for a bus that does not exist', async () => {
    const tooFast = await post('B1', { kind: 'parameters', topSpeedKmh: 100 })
    expect(tooFast.status).toBe(400)
    expect(tooFast.body.error.message).toMatch(/^body\.topSpeedKmh/)
    const noText = await post('B1', { kind: 'text' })
    expect(noText.status).toBe(400)
    expect(noText.body.error.message).toMatch(/^body\.text/)
    const unknownKind = await post('B1', { kind: 'reboot' })
    expect(unknownKind.status).toBe(400)
    expect(unknownKind.body.error.message).toMatch(/^body\.kind/)
    const extra = await post('B1', { kind: 'position_query', text: 'x' })
    expect(extra.status).toBe(400)
    expect((await post('B9', { kind: 'position_query' })).status).toBe(404)
  })
})
