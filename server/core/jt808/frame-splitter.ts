import { xorChecksum } from './checksum.js'

const flag = 0x7e
const escapeByte = 0x7d
/** Header of 2013 (12 bytes) and the checksum: nothing shorter can be a frame. */
const minFrameBytes = 13

export type SplitItem =
  | { kind: 'frame'; bytes: Buffer }
  | { kind: 'dropped'; reason: 'garbage' | 'bad_escape' | 'too_long'; bytes: number }

export interface FrameSplitter {
  push(chunk: Buffer): SplitItem[]
}

/**
 * Cuts a TCP byte stream into frames between 0x7E flags and unescapes them (`7D 02` → 7E,
 * `7D 01` → 7D). A frame's `bytes` are header, body and checksum, without the flags.
 *
 * A flag after a frame closes it; bytes after that closing flag are a frame only if they read as
 * one (long enough, checksum right), as from terminals that share one flag between two frames.
 * Anything else there is garbage, and the flag that ends it opens the next frame, so a lost or
 * unescaped flag costs one frame, never the ones after it. A broken escape or an over-long run is
 * dropped at the next flag (`bytes` counts the bytes as received).
 */
export function createFrameSplitter(options: { maxFrameBytes: number }): FrameSplitter {
  const { maxFrameBytes } = options
  let frame = Buffer.alloc(Math.min(maxFrameBytes, 2048))
  let length = 0
  let receivedBytes = 0
  let opened = false
  let escaping = false
  let badEscape = false
  let tooLong = false

  function append(byte: number): void {
    if (tooLong) return
    if (length === maxFrameBytes) {
      tooLong = true
      return
    }
    if (length === frame.length) {
      const grown = Buffer.alloc(Math.min(maxFrameBytes, frame.length * 2))
      frame.copy(grown)
      frame = grown
    }
    frame[length++] = byte
  }

  function startRun(isOpened: boolean): void {
    length = 0
    receivedBytes = 0
    escaping = false
    badEscape = false
    tooLong = false
    opened = isOpened
  }

  /** At a flag: what the bytes since the previous flag were. */
  function endRun(items: SplitItem[]): void {
    if (receivedBytes === 0) {
      startRun(true)
      return
    }
    const broken = badEscape || escaping
    if (opened) {
      if (tooLong) items.push({ kind: 'dropped', reason: 'too_long', bytes: receivedBytes })
      else if (broken) items.push({ kind: 'dropped', reason: 'bad_escape', bytes: receivedBytes })
      else items.push({ kind: 'frame', bytes: Buffer.from(frame.subarray(0, length)) })
      startRun(false)
      return
    }
    const readsAsFrame = !tooLong && !broken && length >= minFrameBytes && xorChecksum(frame, length) === 0
    if (readsAsFrame) {
      items.push({ kind: 'frame', bytes: Buffer.from(frame.subarray(0, length)) })
      startRun(false)
    } else {
      items.push({ kind: 'dropped', reason: 'garbage', bytes: receivedBytes })
      startRun(true)
    }
  }

  function pushByte(byte: number, items: SplitItem[]): void {
    if (byte === flag) {
      endRun(items)
      return
    }
    receivedBytes++
    if (escaping) {
      escaping = false
      if (byte === 0x02) append(flag)
      else if (byte === 0x01) append(escapeByte)
      else badEscape = true
    } else if (byte === escapeByte) {
      escaping = true
    } else {
      append(byte)
    }
  }

  return {
    push(chunk) {
      const items: SplitItem[] = []
      for (const byte of chunk) pushByte(byte, items)
      return items
    },
  }
}
