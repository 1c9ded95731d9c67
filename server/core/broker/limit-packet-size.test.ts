import { PassThrough } from 'node:stream'
import * as mqttPacket from 'mqtt-packet'
import { expect, it } from 'vitest'
import { limitPacketSize } from './limit-packet-size.js'

const publish = (payloadBytes: number) =>
  mqttPacket.generate({
    cmd: 'publish',
    topic: 'bus/B1/gps',
    payload: Buffer.alloc(payloadBytes, 'x'),
    qos: 0,
    dup: false,
    retain: false,
  })

/** Feeds `bytes` to a limited connection in chunks of `chunkBytes`; what passed, and the error if any. */
async function feed(bytes: Buffer, chunkBytes: number, maxPacketBytes: number) {
  const socket = new PassThrough()
  const connection = limitPacketSize(socket, maxPacketBytes)
  const passed: Buffer[] = []
  // As aedes reads its connections: on 'readable', whatever read() gives.
  connection.on('readable', () => {
    for (let chunk: Buffer | null; (chunk = connection.read() as Buffer | null) !== null;) passed.push(chunk)
  })
  const ended = new Promise<Error | undefined>((resolve) => {
    connection.once('error', resolve)
    connection.once('end', () => resolve(undefined))
  })
  for (let at = 0; at < bytes.length && !socket.destroyed; at += chunkBytes) {
    socket.write(bytes.subarray(at, at + chunkBytes))
    if (at % 4096 === 0) await new Promise((resolve) => setImmediate(resolve))
  }
  socket.end()
  const error = await ended
  await new Promise((resolve) => setImmediate(resolve))
  return { passed: Buffer.concat(passed), error, destroyed: socket.destroyed }
}

// Remaining lengths of one (0, 113), two (114) and three (20,000) bytes; the packet of 3 MB has four.
const largest = publish(20_000)
const allowed = Buffer.concat([publish(113), publish(114), largest, publish(0)])

it('passes packets up to the limit unchanged, however the bytes are split', async () => {
  for (const chunkBytes of [1, 2, 3, 7, 1000, allowed.length]) {
    const { passed, error } = await feed(allowed, chunkBytes, largest.length)
    expect(error).toBeUndefined()
    expect(passed.equals(allowed)).toBe(true)
  }
})

it('ends the connection at the header of the first larger packet, before its body arrives', async () => {
  for (const oversized of [publish(20_001), publish(3_000_000)]) {
    for (const chunkBytes of [1, 3, 64]) {
      const { passed, error, destroyed } = await feed(
        Buffer.concat([allowed, oversized]),
        chunkBytes,
        largest.length,
      )
      expect(error?.message).toBe(
        `a packet of ${oversized.length} bytes exceeds the limit of ${largest.length} bytes`,
      )
      expect(destroyed).toBe(true)
      // Nothing of the larger packet reaches the broker.
      expect(passed.equals(allowed.subarray(0, passed.length))).toBe(true)
    }
  }
})
