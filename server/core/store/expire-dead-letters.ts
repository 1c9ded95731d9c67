import type { Queryable } from './database.js'

/**
 * Deletes dead letters received more than `retentionDays` before `now`; returns how many. Dead letters
 * are for finding what a device does wrong, which is seen within days: kept for ever, a misbehaving
 * device would grow the table without end.
 */
export async function expireDeadLetters(db: Queryable, now: Date, retentionDays: number): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `WITH expired AS (DELETE FROM dead_letters WHERE received_at < $1 RETURNING 1)
     SELECT count(*)::int AS n FROM expired`,
    [new Date(now.getTime() - retentionDays * 86_400_000)],
  )
  return row?.n ?? 0
}
