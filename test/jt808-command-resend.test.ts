import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../server/core/clock/clock.js'
import { encodeGeneralReply } from '../server/core/jt808/encode-replies.js'
import { encodeAuthenticate } from '../server/core/jt808/encode-terminal-messages.js'
import { jt808MessageIds as ids } from '../server/core/jt808/message-ids.js'
import {
  createTerminalCommandQueries,
  type TerminalCommandQueries,
} from '../server/core/jt808/terminal-commands.js'
import { createLogger } from '../server/core/log/logger.js'
import type { Jt808Gateway } from '../workers/jt808/jt808-gateway.js'
import { connectTestTerminal, type TestTerminal } from './support/jt808-test-terminal.js'
import { startTestGateway } from './support/start-test-gateway.js'
import { openTerminalStore } from './support/open-terminal-store.js'
import { storeBackends, type TestDatabase } from './support/store-backends.js'

const log = createLogger({ level: 'silent' })
const terminalNumber = '013800138001'
/** T1 0.5 s: copies at 0.5 s and 1.5 s, within the 2.5 s answer timeout. */
const limits = {
  commandPollMs: 100,
  commandResendAfterMs: 500,
  commandResends: 2,
  commandAnswerTimeoutMs: 2500,
}

/** A command the terminal does not answer is sent again, the same frame with the same serial. */
describe.each(storeBackends())('command retransmission on $name', (backend) => {
  let store: TestDatabase
  let commands: TerminalCommandQueries
  let gateway: Jt808Gateway
  let terminal: TestTerminal
  const running: { stop(): Promise<void> }[] = []

  beforeAll(async () => {
    const opened = await openTerminalStore(backend, { B1: terminalNumber })
    store = opened.store
    const authCode = opened.authCodes.B1
    commands = createTerminalCommandQueries(store.db, systemClock, {
      expiresAfterMs: 60_000,
      answerTimeoutMs: limits.commandAnswerTimeoutMs,
    })
    const started = await startTestGateway(store.db, { log, limits, commands })
    running.push(started.ingest)
    gateway = started.gateway
    terminal = await connectTestTerminal({ port: started.port, terminalNumber })
    const serial = terminal.send(ids.authenticate, encodeAuthenticate({ authCode, version: 2013 }))
    expect(await terminal.replyTo(serial)).toMatchObject({ kind: 'general', result: 0 })
  })
  afterAll(async () => {
    terminal?.socket.destroy()
    for (const ingest of running) await ingest.stop()
    await store?.dispose()
  })

  const sendText = (text: string) =>
    commands.create({
      busId: 'B1',
      request: { kind: 'text', params: { text, ttsRead: false } },
      createdBy: 'test',
    })

  const copiesOf = (serial: number) =>
    terminal.replies.filter(
      (r) => r.kind === 'other' && r.header.messageId === ids.text && r.header.serial === serial,
    )

  const resultOf = async (id: string) => (await commands.get(id))?.result ?? null

  it('is answered once when the terminal answers the second copy', async () => {
    const before = gateway.stats().commands
    const { id } = await sendText('first copy lost')
    const first = await terminal.command(ids.text, 3000)
    const second = await terminal.command(ids.text, 3000)
    expect(second.header.serial).toBe(first.header.serial)
    expect(second.body).toEqual(first.body)
    terminal.send(
      ids.terminalGeneralReply,
      encodeGeneralReply({ replySerial: second.header.serial, replyId: ids.text, result: 0 }),
    )
    await expect.poll(() => resultOf(id), { timeout: 5000 }).toBe('ok')
    // Past the time the third copy would have gone out: none does once answered.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(copiesOf(first.header.serial)).toHaveLength(2)
    const after = gateway.stats().commands
    expect(after.sent - before.sent).toBe(1)
    expect(after.resent - before.resent).toBe(1)
    expect(after.answered - before.answered).toBe(1)
    expect(await resultOf(id)).toBe('ok')
  })

  it('goes out 1 + commandResends times to a terminal that never answers, then times out', async () => {
    const before = gateway.stats().commands
    const { id } = await sendText('never answered')
    const first = await terminal.command(ids.text, 3000)
    await expect.poll(() => resultOf(id), { timeout: 5000 }).toBe('timed_out')
    await expect.poll(() => gateway.stats().commands.timedOut - before.timedOut, { timeout: 2000 }).toBe(1)
    expect(copiesOf(first.header.serial)).toHaveLength(1 + limits.commandResends)
    expect(gateway.stats().commands.resent - before.resent).toBe(limits.commandResends)
    // None after the timeout.
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(copiesOf(first.header.serial)).toHaveLength(1 + limits.commandResends)
  })
})
