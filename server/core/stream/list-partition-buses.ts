import type { Queryable } from '../store/database.js'
import { busPartitionSql } from './bus-partition.js'

/** The fleet's buses in each of these partitions (a partition without buses is absent). */
export async function listPartitionBuses(
  db: Queryable,
  options: { partitions: readonly number[]; count: number },
): Promise<Map<number, string[]>> {
  const byPartition = new Map<number, string[]>()
  if (options.partitions.length === 0) return byPartition
  const rows = await db.query<{ id: string; partition: number }>(
    `SELECT id, ${busPartitionSql('id', '$2')} AS partition FROM buses
     WHERE ${busPartitionSql('id', '$2')} IN (SELECT value::integer FROM jsonb_array_elements_text($1::jsonb))
     ORDER BY id`,
    [JSON.stringify(options.partitions), options.count],
  )
  for (const row of rows) {
    const list = byPartition.get(row.partition)
    if (list) list.push(row.id)
    else byPartition.set(row.partition, [row.id])
  }
  return byPartition
}
