import type { Queryable } from '../core/store/database.js'

/** Column name to its SQL type, in insert order. */
export type ColumnTypes = Record<string, string>

/**
 * Inserts or updates many rows in one statement, passing them as one JSON parameter; the same SQL
 * runs on PGlite and PostgreSQL, and a second run with the same rows changes nothing.
 */
export async function upsertRows(
  tx: Queryable,
  table: string,
  columns: ColumnTypes,
  key: readonly string[],
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return
  const names = Object.keys(columns)
  const recordType = names.map((name) => `${name} ${columns[name]}`).join(', ')
  const updates = names.filter((name) => !key.includes(name))
  const onConflict =
    updates.length === 0
      ? 'DO NOTHING'
      : `DO UPDATE SET ${updates.map((name) => `${name} = EXCLUDED.${name}`).join(', ')}`
  await tx.query(
    `INSERT INTO ${table} (${names.join(', ')})
     SELECT ${names.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${recordType})
     ON CONFLICT (${key.join(', ')}) ${onConflict}`,
    [JSON.stringify(rows)],
  )
}
