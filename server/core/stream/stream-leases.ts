import type { Queryable } from '../store/database.js'
import { checkpointText, parseCheckpoint, type Checkpoint } from './stream-checkpoint.js'

/*
 * Leases of partitions, on the database's clock: every expiry is set and compared with the
 * server's now(), so processes on hosts whose clocks disagree still agree on who holds what.
 */

export interface LeaseKey {
  consumer: string
  member: string
}

export interface HeldPartition {
  partition: number
  checkpoint: Checkpoint
}

const ttl = (param: string) => `now() + ${param}::double precision * interval '1 millisecond'`

/** The held partitions and their checkpoints as one jsonb parameter, read with jsonb_to_recordset. */
const heldParam = (held: readonly HeldPartition[]) =>
  JSON.stringify(held.map((h) => ({ partition: h.partition, checkpoint: checkpointText(h.checkpoint) })))

const heldRows = (param: string) =>
  `jsonb_to_recordset(${param}::jsonb) AS h (partition integer, checkpoint text)`

type LeaseRow = { partition: number; checkpoint: string }

const toHeld = (rows: readonly LeaseRow[]): HeldPartition[] =>
  rows
    .map((row) => ({ partition: row.partition, checkpoint: parseCheckpoint(row.checkpoint) }))
    .sort((a, b) => a.partition - b.partition)

/**
 * Makes the consumer's partition rows where they are missing. A new row starts at the current
 * snapshot's xmin: a fresh deployment reads what is stored from now on, not the whole history.
 */
export async function createPartitions(db: Queryable, consumer: string, partitions: number): Promise<void> {
  await db.query(
    `INSERT INTO stream_leases (consumer, partition, checkpoint)
     SELECT $1, p, pg_snapshot_xmin(pg_current_snapshot()) FROM generate_series(0, $2::integer - 1) AS p
     ON CONFLICT (consumer, partition) DO NOTHING`,
    [consumer, partitions],
  )
}

/** Heartbeats the member's membership and answers how many members are alive, itself included. */
export async function heartbeatMember(db: Queryable, key: LeaseKey, ttlMs: number): Promise<number> {
  await db.query(
    `INSERT INTO stream_members (consumer, member, expires_at) VALUES ($1, $2, ${ttl('$3')})
     ON CONFLICT (consumer, member) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
    [key.consumer, key.member, ttlMs],
  )
  const [row] = await db.query<{ members: number; stale: number }>(
    `SELECT count(*) FILTER (WHERE expires_at > now())::integer AS members,
            count(*) FILTER (WHERE expires_at < now() - interval '1 hour')::integer AS stale
     FROM stream_members WHERE consumer = $1`,
    [key.consumer],
  )
  if (row && row.stale > 0)
    await db.query(
      `DELETE FROM stream_members WHERE consumer = $1 AND expires_at < now() - interval '1 hour'`,
      [key.consumer],
    )
  return Math.max(1, row?.members ?? 1)
}

/** Ends the membership at once, so the others take up the partitions without waiting for its expiry. */
export async function leaveStream(db: Queryable, key: LeaseKey): Promise<void> {
  await db.query(`DELETE FROM stream_members WHERE consumer = $1 AND member = $2`, [key.consumer, key.member])
}

/**
 * Extends the leases the member still holds and stores their checkpoints (never moving one back).
 * Answers the partitions renewed with their stored checkpoints; one missing was lost: its lease
 * expired, and another member may hold it now.
 */
export async function renewLeases(
  db: Queryable,
  key: LeaseKey,
  ttlMs: number,
  held: readonly HeldPartition[],
): Promise<HeldPartition[]> {
  if (held.length === 0) return []
  const rows = await db.query<LeaseRow>(
    `UPDATE stream_leases l
     SET expires_at = ${ttl('$3')}, checkpoint = GREATEST(l.checkpoint, h.checkpoint::xid8)
     FROM ${heldRows('$4')}
     WHERE l.consumer = $1 AND l.partition = h.partition AND l.holder = $2 AND l.expires_at > now()
     RETURNING l.partition, l.checkpoint::text AS checkpoint`,
    [key.consumer, key.member, ttlMs, heldParam(held)],
  )
  return toHeld(rows)
}

/**
 * Takes up to `want` partitions that nobody holds or whose lease has expired, lowest first; two
 * members asking at once get different ones (SKIP LOCKED). Answers them with their checkpoints.
 */
export async function acquireLeases(
  db: Queryable,
  key: LeaseKey,
  ttlMs: number,
  options: { partitions: number; want: number },
): Promise<HeldPartition[]> {
  if (options.want <= 0) return []
  const rows = await db.query<LeaseRow>(
    `UPDATE stream_leases l SET holder = $2, expires_at = ${ttl('$3')}
     WHERE l.consumer = $1 AND (l.holder IS NULL OR l.expires_at <= now())
       AND l.partition IN (
         SELECT partition FROM stream_leases
         WHERE consumer = $1 AND partition < $4 AND (holder IS NULL OR expires_at <= now())
         ORDER BY partition LIMIT $5 FOR UPDATE SKIP LOCKED)
     RETURNING l.partition, l.checkpoint::text AS checkpoint`,
    [key.consumer, key.member, ttlMs, options.partitions, options.want],
  )
  return toHeld(rows)
}

/** Gives partitions up, storing their checkpoints, so another member may take them at once. */
export async function releaseLeases(
  db: Queryable,
  key: LeaseKey,
  held: readonly HeldPartition[],
): Promise<number[]> {
  if (held.length === 0) return []
  const rows = await db.query<{ partition: number }>(
    `UPDATE stream_leases l
     SET holder = NULL, expires_at = '-infinity', checkpoint = GREATEST(l.checkpoint, h.checkpoint::xid8)
     FROM ${heldRows('$3')}
     WHERE l.consumer = $1 AND l.partition = h.partition AND l.holder = $2 AND l.expires_at > now()
     RETURNING l.partition`,
    [key.consumer, key.member, heldParam(held)],
  )
  return rows.map((row) => row.partition).sort((a, b) => a - b)
}

/** The stored checkpoint of a partition the member holds; undefined if its lease is gone. */
export async function readLease(
  db: Queryable,
  key: LeaseKey,
  partition: number,
): Promise<Checkpoint | undefined> {
  const [row] = await db.query<LeaseRow>(
    `SELECT partition, checkpoint::text AS checkpoint FROM stream_leases
     WHERE consumer = $1 AND partition = $3 AND holder = $2 AND expires_at > now()`,
    [key.consumer, key.member, partition],
  )
  return row ? parseCheckpoint(row.checkpoint) : undefined
}

/**
 * Inside the transaction that stores a consumer's work: moves the partition's checkpoint, if and
 * only if the member still holds an unexpired lease. The updated row stays locked until the
 * transaction ends, so a member taking the partition over waits for this commit and then starts
 * from the checkpoint it wrote. False: the lease is lost and the transaction must roll back.
 */
export async function advanceFencedCheckpoint(
  tx: Queryable,
  key: LeaseKey,
  held: HeldPartition,
): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE stream_leases SET checkpoint = GREATEST(checkpoint, $4::text::xid8)
     WHERE consumer = $1 AND partition = $3 AND holder = $2 AND expires_at > now()
     RETURNING partition`,
    [key.consumer, key.member, held.partition, checkpointText(held.checkpoint)],
  )
  return rows.length === 1
}
