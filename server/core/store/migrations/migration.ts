import type { Queryable } from '../database.js'

export interface MigrationContext {
  /** TimescaleDB is installed in this database. */
  timescale: boolean
}

export interface Migration {
  version: number
  name: string
  up(tx: Queryable, context: MigrationContext): Promise<void>
}
