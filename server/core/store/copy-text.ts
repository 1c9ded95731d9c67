/** A value COPY text format can carry; Buffers become bytea. */
export type CopyValue = string | number | boolean | Date | Buffer | null | undefined

const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }

/** Rows in PostgreSQL's COPY text format: tab-separated, `\N` for null, backslash escapes. */
export function encodeCopyText(rows: readonly (readonly CopyValue[])[]): string {
  // Runs for every stored report: plain concatenation, no intermediate arrays.
  let out = ''
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) out += (i === 0 ? '' : '\t') + encodeValue(row[i])
    out += '\n'
  }
  return out
}

function encodeValue(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N'
  if (value instanceof Date) return value.toISOString()
  // bytea's hex form starts with a backslash, which COPY text needs doubled.
  if (Buffer.isBuffer(value)) return '\\\\x' + value.toString('hex')
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`cannot COPY the number ${value}`)
    return '' + value
  }
  if (typeof value === 'boolean') return value ? 't' : 'f'
  return value.replace(/[\\\t\n\r]/g, (c) => escapes[c]!)
}
