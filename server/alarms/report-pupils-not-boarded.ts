import { toShanghaiTime } from '../core/clock/shanghai-time.js'
import type { Logger } from '../core/log/logger.js'
import type { Queryable } from '../core/store/database.js'

export interface PupilsNotBoardedReport {
  busId: string
  kind: 'pupils_not_boarded'
  ts: string
  tripId: string
  details: { stopId: string; seq: number; schoolId: string; pupils: { pupilId: string; name: string }[] }
  acknowledgedBy: null
  acknowledgedAt: null
}

/**
 * When a bus leaves a stop, the pupils expected to get on there who were not scanned aboard are
 * reported to their school (and whoever else watches the bus), once per departure.
 */
export function createPupilsNotBoardedReports(deps: {
  db: Queryable
  log: Logger
  publish(report: PupilsNotBoardedReport): void
}) {
  return {
    async onStopDeparture(departure: {
      busId: string
      tripId: string
      ts: Date
      seq: number
      stopId: string
    }) {
      const serviceDate = toShanghaiTime(departure.ts).date
      const pupils = await deps.db.query<{ pupilId: string; name: string; schoolId: string }>(
        `SELECT tp.pupil_id AS "pupilId", p.name, t.school_id AS "schoolId"
         FROM trip_pupils tp JOIN pupils p ON p.id = tp.pupil_id JOIN trips t ON t.id = tp.trip_id
         WHERE tp.trip_id = $1 AND tp.board_seq = $2
           AND NOT EXISTS (SELECT 1 FROM boarding_events b WHERE b.trip_id = $1 AND b.service_date = $3::date
                           AND b.pupil_id = tp.pupil_id AND b.action = 'boarded')
         ORDER BY p.name`,
        [departure.tripId, departure.seq, serviceDate],
      )
      const [first] = pupils
      if (!first) return null
      const report: PupilsNotBoardedReport = {
        busId: departure.busId,
        kind: 'pupils_not_boarded',
        ts: departure.ts.toISOString(),
        tripId: departure.tripId,
        details: {
          stopId: departure.stopId,
          seq: departure.seq,
          schoolId: first.schoolId,
          pupils: pupils.map(({ pupilId, name }) => ({ pupilId, name })),
        },
        acknowledgedBy: null,
        acknowledgedAt: null,
      }
      const stored = await deps.db.query(
        `INSERT INTO events (bus_id, kind, ts, trip_id, details) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING RETURNING bus_id`,
        [report.busId, report.kind, report.ts, report.tripId, JSON.stringify(report.details)],
      )
      if (stored.length === 0) return null
      deps.publish(report)
      return report
    },
  }
}
