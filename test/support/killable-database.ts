import type { Database, Queryable } from '../../server/core/store/database.js'

/**
 * A connection to `db` that can be killed as a crashed process would be: after kill(), a
 * transaction in flight fails and rolls back (its connection is gone) and every other call hangs
 * for ever, so the process neither heartbeats nor releases nor commits anything again. The
 * database itself stays open for the others.
 */
export function killableDatabase(db: Database): { db: Database; kill(): void } {
  let killed = false
  const never = () => new Promise<never>(() => {})
  const lost = () => Promise.reject(new Error('connection lost: the process was killed'))
  const wrap = (target: Queryable, inTransaction: boolean): Queryable => {
    const gone = () => (inTransaction ? lost() : never())
    return {
      query: ((sql: string, params?: readonly unknown[]) =>
        killed ? gone() : target.query(sql, params)) as Queryable['query'],
      exec: (sql) => (killed ? gone() : target.exec(sql)),
      copyFrom: (copySql, text) => (killed ? gone() : target.copyFrom(copySql, text)),
    }
  }
  return {
    db: {
      kind: db.kind,
      ...wrap(db, false),
      transaction: (work) => (killed ? never() : db.transaction((tx) => work(wrap(tx, true)))),
      close: async () => {},
    },
    kill: () => {
      killed = true
    },
  }
}
