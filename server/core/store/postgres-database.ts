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
      if (target instanceof pg.Pool)
        return withClient((client) => asQueryable(client).copyFrom(copySql, text))
      const stream = target.query(copyFromStdin(copySql))
      await pipeline(Readable.from([text]), stream)
      return stream.rowCount ?? 0
    },
  })

  /**
   * Lends a client for `work`. A checked-out client whose connection dies emits 'error', which would
   * crash the process unheard (the pool only listens on idle ones); a client that failed is destroyed
   * instead of going back to the pool.
   */
  const withClient = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect()
    let broken = false
    const onError = () => (broken = true)
    client.on('error', onError)
    try {
      return await work(client)
    } catch (error) {
      broken ||= !(error instanceof pg.DatabaseError)
      throw error
    } finally {
      client.off('error', onError)
      client.release(broken)
    }
  }

  return {
    kind: 'postgres',
    ...asQueryable(pool),
    transaction: (work) =>
      withClient(async (client) => {
        await client.query('BEGIN')
        try {
          const result = await work(asQueryable(client))
          await client.query('COMMIT')
          return result
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {})
          throw error
        }
      }),
    async close() {
      await pool.end()
    },
  }
}
