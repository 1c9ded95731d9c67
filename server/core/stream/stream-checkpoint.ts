/**
 * A partition's place in the report stream: a 64-bit transaction id (PostgreSQL's xid8). Every
 * report stored by a transaction below it has been handled; the reports of that transaction and
 * the ones after it have not. Kept as a bigint here and sent to SQL as decimal text.
 */
export type Checkpoint = bigint

export const parseCheckpoint = (text: string | number | bigint): Checkpoint => BigInt(text)

export const checkpointText = (checkpoint: Checkpoint): string => checkpoint.toString()

export const laterCheckpoint = (a: Checkpoint, b: Checkpoint): Checkpoint => (a > b ? a : b)
