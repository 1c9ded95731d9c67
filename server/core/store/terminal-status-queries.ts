import type { TerminalStatus } from '../broker/terminal-status.js'
import type { Queryable } from './database.js'

/** One bus's terminal as the bureau's console shows it. */
export interface TerminalHealthRow {
  busId: string
  plate: string
  terminalNumber: string | null
  /** The bus's last report of any kind. */
  lastReportTs: Date | null
  ignition: boolean | null
  /** The last report that carried the terminal's own status, and that status. */
  statusTs: Date | null
  status: TerminalStatus | null
  /** Terminal alarms whose episode has not ended, oldest first. */
  openAlarms: { kind: string; ts: string }[]
}

/**
 * A status older than this is not shown as the terminal's: a terminal that stopped sending its
 * status (or a bus now reporting from another device) would otherwise show a week-old fault.
 */
const statusWindowMs = 7 * 86_400_000

export function createTerminalStatusQueries(db: Queryable) {
  return {
    /** The buses' terminals, `busIds` 'all' for the whole fleet. */
    listTerminalHealth: (busIds: 'all' | readonly string[], now: Date) =>
      db.query<TerminalHealthRow & Record<string, unknown>>(
        `SELECT b.id AS "busId", b.plate, b.terminal_no AS "terminalNumber",
                last.ts AS "lastReportTs", last.ignition,
                s.ts AS "statusTs", s.terminal AS status,
                coalesce((
                  SELECT jsonb_agg(jsonb_build_object('kind', e.kind, 'ts',
                    to_char(e.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) ORDER BY e.ts)
                  FROM events e
                  WHERE e.bus_id = b.id AND e.kind LIKE 'terminal\\_%' AND e.ts >= $2
                    AND e.details ? 'endTs' AND e.details->'endTs' = 'null'::jsonb
                ), '[]'::jsonb) AS "openAlarms"
         FROM buses b
         LEFT JOIN LATERAL (
           SELECT ts, ignition FROM positions WHERE bus_id = b.id AND ts >= $2 ORDER BY ts DESC LIMIT 1
         ) last ON true
         LEFT JOIN LATERAL (
           SELECT ts, terminal FROM positions
           WHERE bus_id = b.id AND ts >= $2 AND terminal IS NOT NULL ORDER BY ts DESC LIMIT 1
         ) s ON true
         WHERE $1::text[] IS NULL OR b.id = ANY ($1::text[])
         ORDER BY b.id`,
        [busIds === 'all' ? null : busIds, new Date(now.getTime() - statusWindowMs)],
      ),
  }
}
