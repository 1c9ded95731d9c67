import type { Queryable } from '../store/database.js'

/** Column name to its SQL type, in insert order. */
export type ColumnTypes = Record<string, string>

/**
 * Rows per statement: one JSON parameter of a hundred thousand rows is slower on PGlite than
 * several of a few thousand, and a bounded parameter bounds the memory of one statement too.
 */
const ROWS_PER_STATEMENT = 5000

/**
 * Inserts or updates many rows, passing each chunk of them as one JSON parameter; the same SQL
 * runs on PGlite and PostgreSQL, and a second run with the same rows changes nothing. Columns in
 * `keep` are written for new rows only: a row found by its key keeps its stored value (a pupil
 * found by code keeps its id).
 */
export async function upsertRows(
  tx: Queryable,
  table: string,
  columns: ColumnTypes,
  key: readonly string[],
  rows: readonly Record<string, unknown>[],
  options: { keep?: readonly string[] } = {},
): Promise<void> {
  const names = Object.keys(columns)
  const updates = names.filter((name) => !key.includes(name) && !options.keep?.includes(name))
  const onConflict =
    updates.length === 0
      ? 'DO NOTHING'
      : `DO UPDATE SET ${updates.map((name) => `${name} = EXCLUDED.${name}`).join(', ')}`
  const sql = `INSERT INTO ${table} (${names.join(', ')})
     SELECT ${names.join(', ')} FROM ${jsonRows(columns)}
     ON CONFLICT (${key.join(', ')}) ${onConflict}`
  for (const chunk of chunksOf(rows)) await tx.query(sql, [JSON.stringify(chunk)])
}

/**
 * The rows of the JSON parameter $1 as a table `r` of these columns. json_to_recordset, not the
 * jsonb one: it reads the text once instead of building a jsonb value first, a third less time.
 */
export function jsonRows(columns: ColumnTypes): string {
  const recordType = Object.entries(columns)
    .map(([name, type]) => `${name} ${type}`)
    .join(', ')
  return `json_to_recordset($1::json) AS r(${recordType})`
}

export function chunksOf<T>(rows: readonly T[], size = ROWS_PER_STATEMENT): T[][] {
  const chunks: T[][] = []
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size))
  return chunks
}

/**
 * Runs an INSERT … SELECT that resolves natural keys by joining, a chunk of rows at a time, and
 * fails when a row's keys did not resolve: the registers' checks should have caught it.
 */
export async function insertResolved(
  tx: Queryable,
  insertSql: string,
  rows: readonly Record<string, unknown>[],
  what: string,
): Promise<void> {
  for (const chunk of chunksOf(rows)) {
    const [row] = await tx.query<{ n: number }>(
      `WITH inserted AS (${insertSql} RETURNING 1) SELECT count(*)::int AS n FROM inserted`,
      [JSON.stringify(chunk)],
    )
    const n = row?.n ?? 0
    if (n !== chunk.length) throw new Error(`${chunk.length - n} ${what} not in the store`)
  }
}
