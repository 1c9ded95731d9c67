export type Row = Record<string, unknown>

export interface Queryable {
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>
  /** Runs several statements separated by semicolons, without parameters. */
  exec(sql: string): Promise<void>
  /**
   * Bulk-loads rows in PostgreSQL's COPY text format (see encodeCopyText) with
   * `COPY table (columns) FROM STDIN`; returns the number of rows copied.
   */
  copyFrom(copySql: string, text: string): Promise<number>
}

/**
 * The store as the rest of the server sees it: the same SQL runs on embedded PGlite and on a
 * PostgreSQL or TimescaleDB server. Both adapters return int8 as number and date as 'YYYY-MM-DD'.
 */
export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres'
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>
  close(): Promise<void>
}

/** Postgres type OIDs whose default parsing differs between the drivers. */
export const typeOids = { int8: 20, date: 1082 } as const
