import { describe, expect, it } from 'vitest'
import type { ReceivedMessage } from '../../server/core/broker/telemetry-source.js'
import type { Jt808Header } from '../../server/core/jt808/decode-frame.js'
import { jt808ReplyResults as results } from '../../server/core/jt808/message-ids.js'
import type { Frame } from './connection-context.js'
import { createGatewayStats } from './gateway-stats.js'
import { createIngestDelivery } from './ingest-delivery.js'

const header: Jt808Header = {
  messageId: 0x0704,
  version: 2013,
  protocolVersion: null,
  terminalNumber: '013800138000',
  serial: 7,
  encrypted: false,
  split: null,
}
const frame: Frame = { header, body: Buffer.alloc(0), serials: [7], evidence: Buffer.alloc(0) }
const report = (n: number) => ({ topic: 'bus/B1/gps', payload: Buffer.from(String(n)) })

function setUpDelivery() {
  const stats = createGatewayStats()
  const delivered: ReceivedMessage[] = []
  const answers: number[] = []
  let closed = false
  const delivery = createIngestDelivery({
    host: { stats, deliver: (message) => delivered.push(message) },
    answer: (_, result) => answers.push(result),
    isClosed: () => closed,
  })
  return { stats, delivered, answers, delivery, close: () => (closed = true) }
}

describe('handing a frame’s messages to the ingest', () => {
  it('answers the frame once, after the last of its messages is stored, however often each is acknowledged', () => {
    const { stats, delivered, answers, delivery } = setUpDelivery()
    delivery.deliverThenAnswer(frame, [report(1), report(2)])
    expect(stats.reportsAwaitingStore).toBe(2)
    delivered[0]!.ack()
    delivered[0]!.ack()
    expect(answers).toEqual([])
    delivered[1]!.ack()
    expect(answers).toEqual([results.ok])
    expect(stats.reportsAwaitingStore).toBe(0)
  })

  it('answers at once when there is nothing to store', () => {
    const { delivered, answers, delivery } = setUpDelivery()
    delivery.deliverThenAnswer(frame, [], results.unsupported)
    expect(delivered).toEqual([])
    expect(answers).toEqual([results.unsupported])
  })

  it('never answers what was stored after the connection closed, so the terminal sends it again', () => {
    const { stats, delivered, answers, delivery, close } = setUpDelivery()
    delivery.deliverThenAnswer(frame, [report(1)])
    close()
    delivery.forgetUnstored()
    delivered[0]!.ack()
    expect(answers).toEqual([])
    expect(stats.reportsAwaitingStore).toBe(0)
  })
})
