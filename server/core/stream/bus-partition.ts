/** Buses are spread over this many partitions unless a consumer says otherwise. */
export const defaultPartitionCount = 16

/**
 * The SQL of the partition of the bus id in `column`, for a partition count in `count` (a
 * parameter such as `$2`). It is computed by the database, never in JavaScript, so every process
 * puts a bus in the same partition; every member of one consumer must use the same count.
 */
export const busPartitionSql = (column: string, count: string): string =>
  `((hashtext(${column}) & 2147483647) % ${count}::integer)`
