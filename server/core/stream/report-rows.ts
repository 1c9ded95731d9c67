import type { CommittedBatch, LimiterRow, PositionRow } from '../broker/telemetry-rows.js'
import type { TerminalStatus } from '../broker/terminal-status.js'

/** A report as the stream queries select it: a position (kind 'gps') or a limiter state. */
export interface ReportRow {
  kind: 'gps' | 'limiter'
  bus_id: string
  ts: Date
  lat: number | null
  lon: number | null
  speed_kmh: number | null
  heading_deg: number | null
  alt_m: number | null
  accuracy_m: number | null
  ignition: boolean | null
  seq: number | null
  terminal: TerminalStatus | null
  limit_kmh: number | null
  state: LimiterRow['state'] | null
}

/** The select list of a position, then of a limiter state, in the ReportRow shape. */
export const positionReportColumns = `'gps' AS kind, r.bus_id, r.ts, r.lat, r.lon, r.speed_kmh, r.heading_deg,
  r.alt_m, r.accuracy_m, r.ignition, r.seq, r.terminal, NULL::real AS limit_kmh, NULL::text AS state`
export const limiterReportColumns = `'limiter' AS kind, r.bus_id, r.ts, NULL::double precision AS lat,
  NULL::double precision AS lon, NULL::real AS speed_kmh, NULL::real AS heading_deg, NULL::real AS alt_m,
  NULL::real AS accuracy_m, NULL::boolean AS ignition, NULL::bigint AS seq, NULL::json AS terminal, r.limit_kmh,
  r.state`

const byBusThenTime = (a: { busId: string; ts: Date }, b: { busId: string; ts: Date }) =>
  a.busId < b.busId ? -1 : a.busId > b.busId ? 1 : a.ts.getTime() - b.ts.getTime()

/** Reports as a batch, each kind ordered by bus, then time. */
export function toCommittedBatch(rows: Iterable<ReportRow>): CommittedBatch {
  const positions: PositionRow[] = []
  const limiterStates: LimiterRow[] = []
  for (const row of rows) {
    const ts = row.ts instanceof Date ? row.ts : new Date(row.ts)
    if (row.kind === 'gps') {
      positions.push({
        busId: row.bus_id,
        ts,
        lat: row.lat ?? 0,
        lon: row.lon ?? 0,
        speedKmh: row.speed_kmh ?? 0,
        headingDeg: row.heading_deg,
        altM: row.alt_m,
        accuracyM: row.accuracy_m,
        ignition: row.ignition,
        seq: row.seq,
        terminal: row.terminal,
      })
    } else {
      limiterStates.push({ busId: row.bus_id, ts, limitKmh: row.limit_kmh, state: row.state ?? 'active' })
    }
  }
  positions.sort(byBusThenTime)
  limiterStates.sort(byBusThenTime)
  return { positions, limiterStates }
}
