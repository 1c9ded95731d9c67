/** A stretch of time, from inclusive to exclusive. */
export interface TimeWindow {
  from: Date
  to: Date
}

/**
 * A SQL condition keeping rows whose `column` falls in one of `windows` (at least one), with its
 * parameters numbered from `firstParam`. The outer bounds let the time index narrow the scan first.
 */
export function windowFilter(column: string, firstParam: number, windows: readonly TimeWindow[]) {
  const [from, to, froms, tos] = [0, 1, 2, 3].map((i) => `$${firstParam + i}`)
  const fromMs = windows.map((w) => w.from.getTime())
  const toMs = windows.map((w) => w.to.getTime())
  const iso = (ms: number) => new Date(ms).toISOString()
  return {
    sql: `${column} >= ${from}::timestamptz AND ${column} < ${to}::timestamptz
      AND EXISTS (SELECT 1 FROM unnest(${froms}::timestamptz[], ${tos}::timestamptz[]) w(f, t)
                  WHERE ${column} >= w.f AND ${column} < w.t)`,
    params: [iso(Math.min(...fromMs)), iso(Math.max(...toMs)), fromMs.map(iso), toMs.map(iso)],
  }
}
