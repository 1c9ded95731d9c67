import type { DeadLetterReason } from './dead-letter-reasons.js'

/** One telemetry message as a source hands it to the ingest: a broker's publish, a gateway's report. */
export interface ReceivedMessage {
  topic: string
  payload: Buffer
  /** Sent again by the source (a broker's redelivery): an earlier copy may already be stored. */
  redelivered: boolean
  /**
   * What the source already knows is wrong with it (a frame that does not decode): the ingest
   * dead-letters it with this reason instead of validating it.
   */
  rejected?: { reason: DeadLetterReason; detail: string }
  /** Tells the source the message is stored (or dead-lettered). Called only once it is committed. */
  ack(): void
}

/** Where the ingest takes its messages from: the MQTT broker, or the JT/T 808 gateway. */
export interface TelemetrySource {
  /** Resolves once the source delivers messages; a broker reconnects by itself afterwards. */
  start(): Promise<void>
  /** Stops reading, so the sender holds further messages: back-pressure. */
  pause(): void
  resume(): void
  isConnected(): boolean
  close(): Promise<void>
}
