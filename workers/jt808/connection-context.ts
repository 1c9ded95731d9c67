import type { ReceivedMessage } from '../../server/core/broker/telemetry-source.js'
import type { Jt808Header } from '../../server/core/jt808/decode-frame.js'
import type { ConnectionState } from './connection-state.js'
import type { Jt808CloseReason } from './gateway-stats.js'
import type { ConnectionHost, TerminalConnection } from './terminal-connection.js'

/** A decoded frame (a split message once whole), answered on every serial its packets came with. */
export interface Frame {
  header: Jt808Header
  body: Buffer
  serials: number[]
  /** What a dead letter keeps of it. */
  evidence: Buffer
}

/** A message for the ingest, before the connection attaches its acknowledgement. */
export type Outgoing = Omit<ReceivedMessage, 'ack' | 'redelivered'>

/** What changes over one connection's life: the handlers of its frames read and replace it. */
export interface ConnectionRecord {
  state: ConnectionState
  /** The authenticated terminal's header: commands go out in its version and number. */
  peer: Jt808Header | undefined
  closed: boolean
  /** Reads no more, and closes once the frames it took are handled. */
  closingAfterDrain: boolean
}

/** What the handlers of one connection's frames share. */
export interface ConnectionContext {
  host: ConnectionHost
  connection: TerminalConnection
  record: ConnectionRecord
  /** Address and port, for the log. */
  remote: string
  /** The address alone, as the audit log records a registration. */
  remoteAddress: string
  nowMs(): number
  close(reason: Jt808CloseReason): void
  /** The frame's serial, or undefined once the connection is closed. */
  send(to: Jt808Header, messageId: number, body: Buffer): number | undefined
  /** As `send`, with the frame as it went out, for a retransmission to repeat. */
  sendKept(to: Jt808Header, messageId: number, body: Buffer): { serial: number; frame: Buffer } | undefined
  /** Writes a frame sent before again, serial and all; false once the connection is closed. */
  repeat(frame: Buffer): boolean
  /** A platform general reply (0x8001) to each serial of the frame. */
  answer(frame: Frame, result: number): void
  /** Hands messages to the ingest and answers the frame once every one of them is stored. */
  deliverThenAnswer(frame: Frame | undefined, messages: Outgoing[], result?: number): void
}
