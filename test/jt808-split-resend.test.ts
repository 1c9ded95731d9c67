import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeFrame } from '../server/core/jt808/encode-frame.js'
import { encodeAuthenticate, encodeLocationBatch } from '../server/core/jt808/encode-terminal-messages.js'
import { jt808MessageIds as ids } from '../server/core/jt808/message-ids.js'
import { createLogger } from '../server/core/log/logger.js'
import type { Jt808GatewayLimits } from '../workers/jt808/gateway-limits.js'
import {
  connectTestTerminal,
  testLocation,
  type PlatformReply,
  type TestTerminal,
} from './support/jt808-test-terminal.js'
import { startTestGateway } from './support/start-test-gateway.js'
import { openTerminalStore } from './support/open-terminal-store.js'
import { storeBackends, type TestDatabase } from './support/store-backends.js'

const log = createLogger({ level: 'silent' })
const terminalNumber = '013800138001'

/** A batch of fixes kept through a coverage hole, cut into three packets with serials from `firstSerial`. */
function splitBatch(firstSerial: number, secondsAgo: number[]) {
  const locations = secondsAgo.map((s) => testLocation(new Date(), s))
  const body = encodeLocationBatch({ type: 1, locations })
  const size = Math.ceil(body.length / 3)
  const packets = [0, 1, 2].map((i) =>
    encodeFrame(
      {
        messageId: ids.locationBatch,
        terminalNumber,
        serial: firstSerial + i,
        version: 2013,
        split: { total: 3, index: i + 1 },
      },
      body.subarray(i * size, (i + 1) * size),
    ),
  )
  return { locations, packets }
}

/** 0x8003 as a 2013 terminal reads it: the first packet's serial and the packet ids to send again. */
function readResendRequest(reply: PlatformReply) {
  if (reply.kind !== 'other') throw new Error('not a platform request')
  const { body } = reply
  const count = body.readUInt8(2)
  return {
    firstSerial: body.readUInt16BE(0),
    packetIds: Array.from({ length: count }, (_, i) => body.readUInt16BE(3 + i * 2)),
  }
}

/** Split messages whose packets are lost: the gateway asks for them again (0x8003), on each store. */
describe.each(storeBackends())('split message resend requests on $name', (backend) => {
  let store: TestDatabase
  let authCode = ''
  const running: { stop(): Promise<void> }[] = []
  const sockets: TestTerminal[] = []

  beforeAll(async () => {
    let authCodes: Record<'B1', string>
    ;({ store, authCodes } = await openTerminalStore(backend, { B1: terminalNumber }))
    authCode = authCodes.B1
  })
  afterAll(async () => {
    for (const terminal of sockets) terminal.socket.destroy()
    for (const ingest of running) await ingest.stop()
    await store?.dispose()
  })

  async function startGateway(limits: Partial<Jt808GatewayLimits>) {
    const { gateway, ingest, port } = await startTestGateway(store.db, { log, limits })
    running.push(ingest)
    const terminal = await connectTestTerminal({ port, terminalNumber })
    sockets.push(terminal)
    const serial = terminal.send(ids.authenticate, encodeAuthenticate({ authCode, version: 2013 }))
    expect(await terminal.replyTo(serial)).toMatchObject({ kind: 'general', result: 0 })
    return { gateway, terminal }
  }

  const positionsAt = async (at: Date[]) =>
    (
      await store.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM positions WHERE bus_id = $1 AND ts = ANY($2::timestamptz[])',
        ['B1', at],
      )
    )[0]!.n

  const batchAnswers = (terminal: TestTerminal, serials: number[]) =>
    terminal.replies.filter(
      (r) => r.kind === 'general' && r.replyId === ids.locationBatch && serials.includes(r.replySerial),
    )

  it('asks for the lost packet, and stores the batch once it is resent, every packet answered', async () => {
    const { gateway, terminal } = await startGateway({
      splitResendAfterMs: 5_000,
      splitResendAttempts: 2,
      splitTimeoutMs: 20_000,
    })
    const { locations, packets } = splitBatch(100, [600, 590, 580, 570, 560, 550])
    terminal.write(Buffer.concat([packets[0]!, packets[2]!]))
    // The last packet came with a gap before it: packet 2 is asked for at once.
    const request = await terminal.command(ids.resendPackets, 3_000)
    expect(request.header.messageId).toBe(ids.resendPackets)
    expect(readResendRequest(request)).toEqual({ firstSerial: 100, packetIds: [2] })

    // Resent with its own serial and index, it completes the message.
    terminal.write(packets[1]!)
    for (const serial of [100, 101, 102]) {
      expect(await terminal.replyTo(serial)).toMatchObject({
        kind: 'general',
        replyId: ids.locationBatch,
        result: 0,
      })
    }
    expect(batchAnswers(terminal, [100, 101, 102])).toHaveLength(3)
    expect(await positionsAt(locations.map((l) => l.at))).toBe(6)
    const stats = gateway.stats()
    expect(stats.resendRequests).toBe(1)
    expect(stats.dropped.split_incomplete).toBe(0)
  })

  it('gives up a message whose terminal never resends, after asking as often as allowed', async () => {
    const { gateway, terminal } = await startGateway({
      splitResendAfterMs: 150,
      splitResendAttempts: 2,
      splitTimeoutMs: 800,
    })
    const { locations, packets } = splitBatch(200, [500, 490, 480])
    terminal.write(Buffer.concat([packets[0]!, packets[2]!]))
    for (let asked = 0; asked < 2; asked++) {
      expect(readResendRequest(await terminal.command(ids.resendPackets, 3_000))).toEqual({
        firstSerial: 200,
        packetIds: [2],
      })
    }
    await expect.poll(() => gateway.stats().dropped.split_incomplete, { timeout: 5_000 }).toBe(1)
    const requests = terminal.replies.filter(
      (r) => r.kind === 'other' && r.header.messageId === ids.resendPackets,
    )
    expect(requests).toHaveLength(2)
    expect(gateway.stats().resendRequests).toBe(2)
    expect(batchAnswers(terminal, [200, 201, 202])).toEqual([])
    expect(await positionsAt(locations.map((l) => l.at))).toBe(0)
  })
})
