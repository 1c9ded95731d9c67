import type { Logger } from '../log/logger.js'
import type { Database } from '../store/database.js'
import type { ReportStreamOptions } from './report-stream-options.js'
import type { Checkpoint } from './stream-checkpoint.js'
import type { LeaseKey } from './stream-leases.js'

export interface Partition {
  /** Reports below it are handled (stored with the consumer's work, or had nothing for it). */
  checkpoint: Checkpoint
  /** What the lease row holds, as far as this member knows. */
  stored: Checkpoint
  /** onAcquired has run: its reports may be handled. */
  ready: boolean
  /** After a failure: read the stored checkpoint again before handing it over. */
  reload: boolean
  retryAt: number
}

/** What the steps of one member's stream share: its settings, the partitions it holds, its log. */
export interface StreamContext {
  options: ReportStreamOptions
  db: Database
  key: LeaseKey
  partitions: number
  leaseTtlMs: number
  heartbeatMs: number
  retryMs: number
  held: Map<number, Partition>
  log: Logger
  warn: (message: string, fields: Record<string, unknown>) => void
}
