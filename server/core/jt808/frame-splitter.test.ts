import { describe, expect, it } from 'vitest'
import { encodeFrame } from './encode-frame.js'
import { encodeGeneralReply } from './encode-replies.js'
import { createFrameSplitter, type SplitItem } from './frame-splitter.js'

const heartbeat = Buffer.from('7e0002000004304832546500b7ca7e', 'hex')
const heartbeatBytes = heartbeat.subarray(1, -1)
/** A reply whose serial and body are full of bytes that need escaping. */
const escaped = encodeFrame(
  { messageId: 0x8001, terminalNumber: '7e7d7e7d7e7d', serial: 0x7e7d, version: 2013 },
  encodeGeneralReply({ replySerial: 0x7d7e, replyId: 0x7e7e, result: 0x7d }),
)

const frameBytes = (items: SplitItem[]) =>
  items.map((item) => (item.kind === 'frame' ? item.bytes.toString('hex') : `${item.reason}:${item.bytes}`))

describe('frame splitter', () => {
  it('joins a frame fed byte by byte, escapes included', () => {
    const splitter = createFrameSplitter({ maxFrameBytes: 1100 })
    const items = [...escaped].flatMap((byte) => splitter.push(Buffer.from([byte])))
    expect(items).toHaveLength(1)
    const item = items[0]!
    expect(item.kind).toBe('frame')
    if (item.kind !== 'frame') return
    expect(item.bytes.subarray(4, 12).toString('hex')).toBe('7e7d7e7d7e7d7e7d')
    expect(item.bytes.subarray(12, 17).toString('hex')).toBe('7d7e7e7e7d')
  })

  it('cuts several frames out of one chunk, and a frame across two chunks', () => {
    const splitter = createFrameSplitter({ maxFrameBytes: 1100 })
    const stream = Buffer.concat([heartbeat, escaped, heartbeat, escaped])
    const first = splitter.push(stream.subarray(0, stream.length - 7))
    const rest = splitter.push(stream.subarray(stream.length - 7))
    expect(first.map((item) => item.kind)).toEqual(['frame', 'frame', 'frame'])
    expect(rest.map((item) => item.kind)).toEqual(['frame'])
  })

  it('counts garbage between frames and before the first, and keeps the frames', () => {
    const splitter = createFrameSplitter({ maxFrameBytes: 1100 })
    const stream = Buffer.concat([
      Buffer.from('hello'),
      heartbeat,
      Buffer.from('\r\n'),
      heartbeat,
      Buffer.from('(BASE,2,TIME)'),
      heartbeat,
    ])
    expect(frameBytes(splitter.push(stream))).toEqual([
      'garbage:5',
      heartbeatBytes.toString('hex'),
      'garbage:2',
      heartbeatBytes.toString('hex'),
      'garbage:13',
      heartbeatBytes.toString('hex'),
    ])
  })

  it('reads frames that share one flag between them', () => {
    const splitter = createFrameSplitter({ maxFrameBytes: 1100 })
    const shared = Buffer.concat([heartbeat, heartbeat.subarray(1), heartbeat.subarray(1)])
    expect(splitter.push(shared).map((item) => item.kind)).toEqual(['frame', 'frame', 'frame'])
  })

  it('loses one frame, not the next, to a flag sent unescaped inside a body', () => {
    const splitter = createFrameSplitter({ maxFrameBytes: 1100 })
    const broken = Buffer.concat([heartbeat.subarray(0, 6), Buffer.from([0x7e]), heartbeat.subarray(6)])
    const items = splitter.push(Buffer.concat([broken, heartbeat]))
    expect(items.map((item) => item.kind)).toEqual(['frame', 'dropped', 'frame'])
    expect(items[2]).toEqual({ kind: 'frame', bytes: heartbeatBytes })
  })

  it('drops a frame with a broken escape and resynchronises on the next flag', () => {
    const splitter = createFrameSplitter({ maxFrameBytes: 1100 })
    for (const after of [0x00, 0x03, 0x7d]) {
      const broken = Buffer.from(
        `7e0002000004304832546500 7d${after.toString(16).padStart(2, '0')} b7ca7e`.replace(/ /g, ''),
        'hex',
      )
      expect(frameBytes(splitter.push(Buffer.concat([broken, heartbeat])))).toEqual([
        'bad_escape:15',
        heartbeatBytes.toString('hex'),
      ])
    }
    // 7D right before the closing flag escapes nothing.
    expect(frameBytes(splitter.push(Buffer.from('7e00027d7e', 'hex')))).toEqual(['bad_escape:3'])
    expect(frameBytes(splitter.push(heartbeat))).toEqual([heartbeatBytes.toString('hex')])
  })

  it('drops a frame longer than maxFrameBytes and keeps the next', () => {
    const splitter = createFrameSplitter({ maxFrameBytes: 13 })
    expect(frameBytes(splitter.push(heartbeat))).toEqual([heartbeatBytes.toString('hex')])
    const long = Buffer.concat([Buffer.from([0x7e]), Buffer.alloc(5000, 0x31), Buffer.from([0x7e])])
    expect(frameBytes(splitter.push(Buffer.concat([long, heartbeat])))).toEqual([
      'too_long:5000',
      heartbeatBytes.toString('hex'),
    ])
  })

  it('grows its buffer for frames up to the limit', () => {
    const splitter = createFrameSplitter({ maxFrameBytes: 5000 })
    const long = Buffer.concat([Buffer.from([0x7e]), Buffer.alloc(4000, 0x31), Buffer.from([0x7e])])
    const items = splitter.push(long)
    expect(items).toHaveLength(1)
    expect(items[0]!.kind === 'frame' && items[0]!.bytes.length).toBe(4000)
  })
})
