import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Clock } from '../clock/clock.js'
import type { Database } from '../store/database.js'
import { migrateDatabase } from '../store/migrate-database.js'
import { openPgliteDatabase } from '../store/pglite-database.js'
import { decodeFrame } from './decode-frame.js'
import { decodeGbkText } from './gbk.js'
import { encodeFrame } from './encode-frame.js'
import { encodeTerminalCommand } from './encode-terminal-command.js'
import { createFrameSplitter } from './frame-splitter.js'
import { jt808MessageIds as ids } from './message-ids.js'
import {
  commandResultOf,
  createTerminalCommandQueries,
  decreeTerminalParameters,
  toJt808Parameters,
  type TerminalCommandQueries,
} from './terminal-commands.js'

let db: Database
let nowMs = Date.parse('2026-03-02T07:00:00Z')
const clock: Clock = { now: () => new Date(nowMs) }
let commands: TerminalCommandQueries
const parameters = { kind: 'parameters', params: decreeTerminalParameters } as const
const query = { kind: 'position_query', params: {} } as const

beforeAll(async () => {
  db = await openPgliteDatabase()
  await migrateDatabase(db)
  await db.exec(`
INSERT INTO towns (id, kind, name_zh, name_en, lat, lon) VALUES ('longshan', 'town', '龙山镇', 'Longshan', 30.18, 121.5);
INSERT INTO buses (id, plate, town_id, kind, seats, operator) VALUES
  ('B1', '浙B·10001', 'longshan', 'school_bus', 36, 'op'), ('B2', '浙B·10002', 'longshan', 'school_bus', 36, 'op'),
  ('B3', '浙B·10003', 'longshan', 'school_bus', 36, 'op');
`)
  commands = createTerminalCommandQueries(db, clock, { expiresAfterMs: 600_000, answerTimeoutMs: 30_000 })
})
afterAll(async () => {
  await db?.close()
})

describe('terminal commands in the store', () => {
  it('are created pending, and taken once, oldest first, for the buses asked about only', async () => {
    const first = await commands.create({ busId: 'B1', request: parameters, createdBy: 'bureau-1' })
    nowMs += 1000
    const second = await commands.create({ busId: 'B1', request: query, createdBy: 'bureau-1' })
    const other = await commands.create({ busId: 'B2', request: query, createdBy: 'bureau-1' })
    expect(first).toMatchObject({
      state: 'pending',
      sentAt: null,
      result: null,
      params: decreeTerminalParameters,
    })
    expect(first.expiresAt.getTime() - first.createdAt.getTime()).toBe(600_000)

    expect((await commands.listBusesWithPending()).sort()).toEqual(['B1', 'B2'])
    const taken = await commands.takePending(['B1', 'B3'])
    expect(taken.map((c) => c.id)).toEqual([first.id, second.id])
    expect(await commands.listBusesWithPending()).toEqual(['B2'])
    expect(taken.every((c) => c.state === 'sent')).toBe(true)
    expect(await commands.takePending(['B1'])).toEqual([])
    expect(await commands.takePending([])).toEqual([])

    await commands.markSent(first.id, 41)
    expect(await commands.recordAnswer(first.id, 'ok')).toBe(true)
    // The first outcome stands.
    expect(await commands.recordAnswer(first.id, 'failed', 'late')).toBe(false)
    expect(await commands.get(first.id)).toMatchObject({
      serial: 41,
      state: 'ok',
      result: 'ok',
      detail: null,
    })
    expect((await commands.get(other.id))!.state).toBe('pending')
    await commands.recordAnswer(second.id, 'unsupported', 'the terminal answered result 3')
    expect(await commands.get(second.id)).toMatchObject({ state: 'unsupported', serial: null })
  })

  it('time out when sent and unanswered, and are not_connected when never sent by their expiry', async () => {
    const sent = await commands.create({ busId: 'B3', request: query, createdBy: 'bureau-1' })
    const waiting = await commands.create({ busId: 'B3', request: query, createdBy: 'bureau-1' })
    await commands.takePending(['B3']).then(() => commands.markSent(sent.id, 1))
    // Both were taken; the second is given back to waiting by hand, as if never sent.
    await db.query('UPDATE terminal_commands SET sent_at = NULL WHERE id = $1', [waiting.id])
    nowMs += 29_000
    expect(await commands.expire()).toEqual({ timedOut: 0, notConnected: 0 })
    nowMs += 1000
    expect(await commands.expire()).toMatchObject({ timedOut: 1 })
    expect(await commands.get(sent.id)).toMatchObject({ state: 'timed_out' })
    expect((await commands.get(sent.id))!.detail).toMatch(/30 s/)
    nowMs += 600_000
    const expired = await commands.expire()
    expect(expired.notConnected).toBeGreaterThanOrEqual(2)
    expect(await commands.get(waiting.id)).toMatchObject({ state: 'not_connected' })
    // An expired command is never taken.
    expect(await commands.takePending(['B3'])).toEqual([])
  })

  it('are listed newest first', async () => {
    const listed = await commands.listForBus('B1')
    expect(listed.map((c) => c.kind)).toEqual(['position_query', 'parameters'])
  })
})

describe('what a command sends', () => {
  it('sets the regulation’s parameters as DWORDs: report every 10 s, 60 km/h, 5 s over', () => {
    expect(toJt808Parameters(decreeTerminalParameters)).toEqual([
      { id: 0x0029, value: 10 },
      { id: 0x0055, value: 60 },
      { id: 0x0056, value: 5 },
    ])
    const { messageId, body } = encodeTerminalCommand(parameters, 2013)
    expect(messageId).toBe(ids.setParameters)
    expect(body.toString('hex')).toBe(
      '03' + '00000029' + '04' + '0000000a' + '00000055' + '04' + '0000003c' + '00000056' + '04' + '00000005',
    )
  })

  it('shows a text on the display, read aloud when asked, in GBK; 2019 adds the text type', () => {
    const text = { kind: 'text', params: { text: '请减速慢行', ttsRead: true } } as const
    const c2013 = encodeTerminalCommand(text, 2013)
    expect(c2013.messageId).toBe(ids.text)
    expect(c2013.body[0]).toBe(0x0c)
    expect(decodeGbkText(c2013.body.subarray(1))).toBe('请减速慢行')
    expect(c2013.body.length).toBe(1 + 10)
    const c2019 = encodeTerminalCommand({ kind: 'text', params: { text: 'ok', ttsRead: false } }, 2019)
    expect([...c2019.body]).toEqual([0x04, 1, 0x6f, 0x6b])
  })

  it('asks for the position with an empty body, and frames it in the terminal’s version', () => {
    const { messageId, body } = encodeTerminalCommand(query, 2019)
    expect(body.length).toBe(0)
    const frame = encodeFrame({ messageId, terminalNumber: '13800138001', serial: 9, version: 2019 }, body)
    const [item] = createFrameSplitter({ maxFrameBytes: 4096 }).push(frame)
    if (item?.kind !== 'frame') throw new Error('no frame')
    const decoded = decodeFrame(item.bytes)
    expect(decoded).toMatchObject({
      ok: true,
      header: { messageId: ids.locationQuery, serial: 9, version: 2019 },
    })
  })

  it('confirms alarms with 0x8203: every alarm of the types (serial 0), the types as bits', () => {
    const sos = encodeTerminalCommand({ kind: 'alarm_confirm', params: { alarms: ['sos'] } }, 2013)
    expect(sos.messageId).toBe(0x8203)
    expect(sos.body.toString('hex')).toBe('000000000001')
    const several = encodeTerminalCommand(
      { kind: 'alarm_confirm', params: { alarms: ['sos', 'route', 'illegal_movement'] } },
      2019,
    )
    expect(several.body.readUInt16BE(0)).toBe(0)
    expect(several.body.readUInt32BE(2)).toBe((1 << 0) | (1 << 21) | (1 << 28))
  })

  it('keeps an alarm confirmation in the store like any command', async () => {
    const created = await commands.create({
      busId: 'B3',
      request: { kind: 'alarm_confirm', params: { alarms: ['sos'] } },
      createdBy: 'bureau-1',
    })
    expect(await commands.get(created.id)).toMatchObject({
      kind: 'alarm_confirm',
      params: { alarms: ['sos'] },
    })
  })

  it('reads 0x0001 results as outcomes', () => {
    expect([0, 1, 2, 3, 4, 9].map(commandResultOf)).toEqual([
      'ok',
      'failed',
      'bad_message',
      'unsupported',
      'ok',
      'failed',
    ])
  })
})
