import { parse } from 'csv-parse/sync'

/**
 * A GTFS table's rows by column name. Feeds in the wild quote some fields and not others, end lines
 * with CRLF or LF and may start with a byte-order mark: the CSV parser takes all of these.
 */
export function parseGtfsRows(text: string): Record<string, string>[] {
  return parse(text, { columns: true, bom: true, skip_empty_lines: true, trim: true }) as Record<
    string,
    string
  >[]
}

/** A field the table must have in every row. */
export function requiredField(row: Record<string, string>, name: string, table: string): string {
  const value = row[name]
  if (value === undefined || value === '') throw new RangeError(`${table}: a row has no ${name}`)
  return value
}

/** A number the table must have in every row. */
export function requiredNumber(row: Record<string, string>, name: string, table: string): number {
  const value = Number(requiredField(row, name, table))
  if (!Number.isFinite(value)) throw new RangeError(`${table}: ${name} is not a number: ${row[name]}`)
  return value
}
