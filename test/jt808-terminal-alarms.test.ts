import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../server/core/clock/clock.js'
import { encodeGeneralReply } from '../server/core/jt808/encode-replies.js'
import { encodeAuthenticate, encodeLocation } from '../server/core/jt808/encode-terminal-messages.js'
import { jt808MessageIds as ids } from '../server/core/jt808/message-ids.js'
import type { ProcessContext } from '../server/parts/process-context.js'
import { startJt808Platform, type Jt808Platform } from './support/jt808-platform.js'
import { connectTestTerminal, testLocation, type TestTerminal } from './support/jt808-test-terminal.js'

/**
 * What a bus's own terminal says besides its position, from its JT/T 808 frames to the store, the
 * bureau's alarms and the terminals' status, in one process running jt808, events and api.
 */
const b1Terminal = '013800138001'

let platform: Jt808Platform
let context: ProcessContext
let httpUrl: string
let terminal: TestTerminal
const tokens = { bureau: '', schoolS2: '', attendantB1: '' }

beforeAll(async () => {
  platform = await startJt808Platform({
    name: 'jt808-alarms',
    clock: systemClock,
    terminals: { B1: b1Terminal },
    moreParts: ['events'],
  })
  ;({ context, httpUrl } = platform)
  const day = { ttlS: 86_400 }
  tokens.bureau = await context.tokens.issue({ role: 'bureau', sub: 'bureau-1' }, day)
  tokens.schoolS2 = await context.tokens.issue({ role: 'school', sub: 'school-2', schoolId: 'S2' }, day)
  tokens.attendantB1 = await context.tokens.issue({ role: 'attendant', sub: 'att-1', busId: 'B1' }, day)
  terminal = await connectTestTerminal({ port: platform.port, terminalNumber: b1Terminal })
  const { token } = await context.tokens.sessions.issue({ kind: 'device', busId: 'B1' }, { ttlS: 86_400 })
  const reply = await terminal.replyTo(
    terminal.send(ids.authenticate, encodeAuthenticate({ authCode: token, version: 2013 })),
  )
  expect(reply).toMatchObject({ kind: 'general', result: 0 })
})

afterAll(async () => {
  terminal?.socket.destroy()
  await platform?.stop()
})

async function get(path: string, token: string) {
  const response = await fetch(`${httpUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

async function acknowledge(kind: string, ts: Date, token: string) {
  const response = await fetch(`${httpUrl}/api/events/acknowledge`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ busId: 'B1', kind, ts: ts.toISOString() }),
  })
  return response.status
}

async function alarmConfirmations() {
  const { body } = await get('/api/buses/B1/commands', tokens.bureau)
  return (body.commands as { kind: string; state: string; params: unknown }[]).filter(
    (command) => command.kind === 'alarm_confirm',
  )
}

async function sendLocation(location: ReturnType<typeof testLocation>) {
  const reply = await terminal.replyTo(terminal.send(ids.location, encodeLocation(location)))
  expect(reply).toMatchObject({ kind: 'general', result: 0 })
}

interface EventRow {
  kind: string
  ts: Date
  details: Record<string, unknown>
}

/** The bus's terminal events once `done` holds of them; the events part derives them on its own time. */
async function waitForEvents(done: (events: EventRow[]) => boolean): Promise<EventRow[]> {
  const deadline = Date.now() + 20_000
  for (;;) {
    const events = await context.db.query<EventRow & Record<string, unknown>>(
      `SELECT kind, ts, details FROM events WHERE bus_id = 'B1' AND kind LIKE 'terminal\\_%' ORDER BY kind`,
    )
    if (done(events) || Date.now() > deadline) return events
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('a terminal’s own alarms and status', () => {
  const now = new Date()
  const sos = 1 << 0
  const raised = testLocation(now, 30, {
    alarmBits: sos,
    doorsOpen: [1],
    extras: {
      mileageKm: 8123.4,
      satellites: 12,
      signalStrength: 26,
      videoAlarms: { alarmBits: 1 << 0, signalLossChannels: 1 << 1 },
      unknown: [],
    },
  })
  const cleared = testLocation(now, 20, {
    extras: {
      mileageKm: 8123.5,
      satellites: 11,
      signalStrength: 25,
      videoAlarms: { alarmBits: 0, signalLossChannels: 0 },
      unknown: [],
    },
  })

  it('keeps them with the position, as the telemetry contract names them', async () => {
    await sendLocation(raised)
    const [row] = await context.db.query<{ terminal: unknown }>(
      `SELECT terminal FROM positions WHERE bus_id = 'B1' AND ts = $1`,
      [raised.at],
    )
    expect(row!.terminal).toEqual({
      alarms: ['sos', 'video_signal_lost'],
      doorsOpen: [1],
      mileageKm: 8123.4,
      satellites: 12,
      signalStrength: 26,
      video: { signalLostChannels: [2] },
    })
  })

  it('raises an event for each alarm the terminal sets, ended by the report that no longer sets it', async () => {
    const opened = await waitForEvents((events) => events.length === 2)
    expect(opened.map((e) => [e.kind, new Date(e.ts).getTime(), e.details.endTs])).toEqual([
      ['terminal_sos', raised.at.getTime(), null],
      ['terminal_video_signal_lost', raised.at.getTime(), null],
    ])
    expect(opened[1]!.details).toMatchObject({ alarm: 'video_signal_lost' })

    await sendLocation(cleared)
    const ended = await waitForEvents((events) => events.every((e) => e.details.endTs !== null))
    expect(ended.map((e) => [e.kind, e.details.endTs])).toEqual([
      ['terminal_sos', cleared.at.toISOString()],
      ['terminal_video_signal_lost', cleared.at.toISOString()],
    ])

    const listed = await get('/api/events?kind=terminal_sos', tokens.bureau)
    expect(listed.status).toBe(200)
    expect(listed.body.events).toEqual([expect.objectContaining({ busId: 'B1', kind: 'terminal_sos' })])
  })

  it('shows each terminal’s last status to the bureau, and a school only its buses', async () => {
    const bureau = await get('/api/terminals/status', tokens.bureau)
    expect(bureau.status).toBe(200)
    const terminals = bureau.body.terminals as Record<string, unknown>[]
    expect(terminals.map((t) => t.busId)).toEqual(['B1', 'B2'])
    expect(terminals[0]).toMatchObject({
      busId: 'B1',
      terminalNumber: b1Terminal,
      ignition: true,
      lastReportTs: cleared.at.toISOString(),
      statusTs: cleared.at.toISOString(),
      status: { alarms: [], mileageKm: 8123.5, satellites: 11, video: { signalLostChannels: [] } },
      openAlarms: [],
    })
    expect(terminals[1]).toMatchObject({ busId: 'B2', lastReportTs: null, status: null })

    const school = await get('/api/terminals/status', tokens.schoolS2)
    expect((school.body.terminals as { busId: string }[]).map((t) => t.busId)).toEqual(['B2'])
    expect((await get('/api/terminals/status', tokens.attendantB1)).status).toBe(403)
  })

  it('lists an alarm still set among the open ones', async () => {
    const again = testLocation(now, 5, { alarmBits: 1 << 29 })
    await sendLocation(again)
    await waitForEvents((events) => events.some((e) => e.kind === 'terminal_collision'))
    const { body } = await get('/api/terminals/status', tokens.bureau)
    expect((body.terminals as { openAlarms: unknown }[])[0]!.openAlarms).toEqual([
      { kind: 'terminal_collision', ts: again.at.toISOString() },
    ])
  })

  it('confirms an acknowledged SOS to the terminal (0x8203), once, and nothing for other alarms', async () => {
    const pressed = testLocation(now, 2, { alarmBits: sos | (1 << 29) })
    await sendLocation(pressed)
    // Pressed again within a minute of the last: the same episode, open again.
    const open = await waitForEvents((events) =>
      events.some((e) => e.kind === 'terminal_sos' && e.details.endTs === null),
    )
    const episode = open.find((e) => e.kind === 'terminal_sos')!
    expect(await acknowledge('terminal_sos', new Date(episode.ts), tokens.bureau)).toBe(200)
    const received = await terminal.command(ids.alarmConfirm)
    // Every emergency alarm of the terminal (serial 0), the emergency bit.
    expect(received.kind === 'other' && received.body.toString('hex')).toBe('000000000001')
    terminal.send(
      ids.terminalGeneralReply,
      encodeGeneralReply({ replySerial: received.header.serial, replyId: ids.alarmConfirm, result: 0 }),
    )
    await expect
      .poll(async () => (await alarmConfirmations()).map((c) => c.state), { timeout: 10_000 })
      .toEqual(['ok'])
    // Acknowledged again, or another alarm acknowledged: nothing more goes to the terminal.
    expect(await acknowledge('terminal_sos', new Date(episode.ts), tokens.bureau)).toBe(200)
    const [video] = await waitForEvents((events) =>
      events.some((e) => e.kind === 'terminal_video_signal_lost'),
    )
    expect(video).toBeDefined()
    expect(await acknowledge('terminal_video_signal_lost', raised.at, tokens.bureau)).toBe(200)
    expect(await alarmConfirmations()).toEqual([
      expect.objectContaining({ state: 'ok', params: { alarms: ['sos'] } }),
    ])
  })
})
