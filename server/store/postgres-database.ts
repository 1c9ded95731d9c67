import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import pg from 'pg'
import { from as copyFromStdin } from 'pg-copy-streams'
import { typeOids, type Database, type Queryable, type Row } from './database.js'

const parsers: Record<number, (value: string) => unknown> = {
  [typeOids.int8]: (value) => Number(value),
  [typeOids.date]: (value) => value,
}

/** A PostgreSQL or TimescaleDB server reached over `DATABASE_URL`. */
export function openPostgresDatabase(options: { url: string; maxConnections?: number }): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        parsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  })
  // An idle client losing its server (a restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {})

  const asQueryable = (target: pg.Pool | pg.PoolClient): Queryable => ({
    async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []) {
      const result = await target.query<R>(sql, params as unknown[])
      return result.rows
    },
    async exec(sql) {
      await target.query(sql)
    },
    async copyFrom(copySql, text) {
      const client = target instanceof pg.Pool ? await target.connect() : target
      try {
        const stream = client.query(copyFromStdin(copySql))
        await pipeline(Readable.from([text]), stream)
        return stream.rowCount ?? 0
      } finally {
        if (client !== target) (client as pg.PoolClient).release()
      }
    },
  })

  return {
    kind: 'postgres',
    ...asQueryable(pool),
    async transaction(work) {
      const client = await pool.connect()
      let broken = false
      try {
        await client.query('BEGIN')
        const result = await work(asQueryable(client))
        await client.query('COMMIT')
        return result
      } catch (error) {
        // A client whose ROLLBACK fails has lost its connection: destroy it rather than reuse it.
        await client.query('ROLLBACK').catch(() => (broken = true))
        throw error
      } finally {
        client.release(broken)
      }
    },
    async close() {
      await pool.end()
    },
  }
}
