import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  encodeAuthenticate,
  encodeHeartbeat,
  encodeLocation,
} from '../server/core/jt808/encode-terminal-messages.js'
import { jt808MessageIds as ids } from '../server/core/jt808/message-ids.js'
import { createLogger } from '../server/core/log/logger.js'
import type { Database } from '../server/core/store/database.js'
import type { IngestTuning } from '../workers/ingest/ingest-worker.js'
import type { Jt808GatewayLimits } from '../workers/jt808/gateway-limits.js'
import { connectTestTerminal, testLocation, type TestTerminal } from './support/jt808-test-terminal.js'
import { killableDatabase } from './support/killable-database.js'
import { startTestGateway } from './support/start-test-gateway.js'
import { openTerminalStore } from './support/open-terminal-store.js'
import { storeBackends, type TestDatabase } from './support/store-backends.js'

const log = createLogger({ level: 'silent' })
const terminalOf = { B1: '013800138001', B2: '013800138002' } as const

/**
 * The gateway's limits and its answers when the store fails, on each store: each test starts a
 * gateway of its own with the ingest worker it feeds.
 */
describe.each(storeBackends())('the JT/T 808 gateway on $name', (backend) => {
  let store: TestDatabase
  let codes: Record<keyof typeof terminalOf, string>
  const running: { stop(): Promise<void> }[] = []
  const sockets: TestTerminal[] = []

  beforeAll(async () => {
    ;({ store, authCodes: codes } = await openTerminalStore(backend, terminalOf))
  })
  afterAll(async () => {
    for (const terminal of sockets) terminal.socket.destroy()
    for (const gateway of running) await gateway.stop()
    await store?.dispose()
  })

  async function startGateway(
    db: Database,
    options: { limits?: Partial<Jt808GatewayLimits>; tuning?: Partial<IngestTuning> } = {},
  ) {
    const started = await startTestGateway(db, { ...options, log })
    running.push(started.ingest)
    return started
  }

  async function authenticated(port: number, busId: keyof typeof terminalOf) {
    const terminal = await connectTestTerminal({ port, terminalNumber: terminalOf[busId] })
    sockets.push(terminal)
    const serial = terminal.send(
      ids.authenticate,
      encodeAuthenticate({ authCode: codes[busId]!, version: 2013 }),
    )
    expect(await terminal.replyTo(serial)).toMatchObject({ kind: 'general', result: 0 })
    return terminal
  }

  it('closes a terminal that stays silent past three heartbeat intervals', async () => {
    const { gateway, port } = await startGateway(store.db, { limits: { heartbeatIntervalS: 0.2 } })
    const terminal = await authenticated(port, 'B1')
    const started = Date.now()
    await terminal.closed
    expect(Date.now() - started).toBeGreaterThanOrEqual(400)
    expect(gateway.stats().closed.idle).toBe(1)
  })

  it('drops the frames over a terminal’s budget, closes it when it keeps on, and answers the others', async () => {
    const { gateway, port } = await startGateway(store.db, {
      limits: { frameBudget: { burst: 10, perS: 0.001 }, floodBudget: { burst: 10, perS: 0.001 } },
    })
    const flooding = await authenticated(port, 'B1')
    const quiet = await authenticated(port, 'B2')
    flooding.write(
      Buffer.concat(Array.from({ length: 30 }, () => flooding.frame(ids.heartbeat, encodeHeartbeat()).bytes)),
    )
    await flooding.closed
    // The authentication took one frame of the ten; the next nine were answered.
    expect(flooding.replies.length).toBe(1 + 9)
    const stats = gateway.stats()
    expect(stats.dropped.rate_limited).toBe(11)
    expect(stats.closed.flooding).toBe(1)
    const serial = quiet.send(ids.heartbeat, encodeHeartbeat())
    expect(await quiet.replyTo(serial)).toMatchObject({ kind: 'general', result: 0 })
  })

  it('answers nothing it could not store before stopping; the frame sent again is stored once', async () => {
    const killable = killableDatabase(store.db)
    const first = await startGateway(killable.db, { tuning: { stopTimeoutMs: 300 } })
    const terminal = await authenticated(first.port, 'B1')
    const location = testLocation(new Date(), 120)
    const frame = terminal.frame(ids.location, encodeLocation(location))
    // The store goes as the report arrives: its transaction never commits.
    killable.kill()
    terminal.write(frame.bytes)
    await expect.poll(() => first.ingest.worker.stats().received).toBe(1)
    await first.ingest.stop()
    await terminal.closed
    expect(terminal.replies.length).toBe(1)

    const second = await startGateway(store.db)
    const again = await authenticated(second.port, 'B1')
    const answers = () =>
      again.replies.filter(
        (r) => r.kind === 'general' && r.replyId === ids.location && r.replySerial === frame.serial,
      )
    for (const times of [1, 2]) {
      again.write(frame.bytes)
      await expect.poll(() => answers().length).toBe(times)
    }
    expect(answers().map((r) => r.kind === 'general' && r.result)).toEqual([0, 0])
    const [row] = await store.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM positions WHERE bus_id = $1 AND ts = $2',
      ['B1', location.at],
    )
    expect(row!.n).toBe(1)
  })
})
