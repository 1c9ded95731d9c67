import type { Queryable } from '../../server/core/store/database.js'

/**
 * SQLSTATE classes of a store that cannot work now but will later: connection exception, transaction
 * rollback (deadlock, serialization), insufficient resources (disk full), operator intervention
 * (shutting down), system error. Refusing such a write is no verdict on the data in it.
 */
const transientClasses = new Set(['08', '40', '53', '57', '58'])

/**
 * Whether a failed write means the store is away (retry the same write later, losing nothing) rather
 * than refusing what was written (find what it refuses, and go on). A store that does not answer
 * `SELECT 1` within `timeoutMs` is away, whatever the first error said.
 */
export async function isStoreOutage(db: Queryable, error: unknown, timeoutMs: number): Promise<boolean> {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && transientClasses.has(code.slice(0, 2)))
    return true
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no answer')), timeoutMs)
  })
  try {
    await Promise.race([db.query('SELECT 1'), timeout])
    return false
  } catch {
    return true
  } finally {
    clearTimeout(timer)
  }
}
