import type { Queryable } from './database.js'

/**
 * A trip given another bus, as its pupils' parents are told of it: live when it happens, and in
 * the ride answer to any phone of the family opened later. `ts` is the same instant both ways,
 * so a page that hears both shows it once.
 */
export interface BusChangeNotice {
  kind: 'bus_changed'
  tripId: string
  /** The service day the change is for, 'YYYY-MM-DD' (Asia/Shanghai). */
  date: string
  /** When the change was made (ISO). */
  ts: string
  busId: string | null
  plate: string | null
  newBusId: string
  newPlate: string | null
}

export interface BusChange {
  tripId: string
  serviceDate: string
  changedAt: Date
  oldBusId: string | null
  newBusId: string
  /** The principal who made it. */
  changedBy: string
}

type NoticeRow = Omit<BusChangeNotice, 'kind' | 'ts'> & { ts: Date | string } & Record<string, unknown>

/** The plates are read from the registers as they are now: a plate corrected later reads right. */
const noticeColumns = `c.trip_id AS "tripId", to_char(c.service_date, 'YYYY-MM-DD') AS date, c.changed_at AS ts,
  c.old_bus_id AS "busId", o.plate, c.new_bus_id AS "newBusId", n.plate AS "newPlate"`

const toNotice = ({ ts, ...row }: NoticeRow): BusChangeNotice => ({
  kind: 'bus_changed',
  tripId: row.tripId,
  date: row.date,
  ts: new Date(ts).toISOString(),
  busId: row.busId,
  plate: row.plate,
  newBusId: row.newBusId,
  newPlate: row.newPlate,
})

/** The changes of bus made to trips, kept for the notices parents read. */
export function createTripNoticeQueries(db: Queryable) {
  return {
    /** Keeps one change of bus; answers it as the notice parents get. */
    recordBusChange: async (change: BusChange): Promise<BusChangeNotice> => {
      const [row] = await db.query<NoticeRow>(
        `WITH c AS (
           INSERT INTO trip_bus_changes (trip_id, service_date, changed_at, old_bus_id, new_bus_id, changed_by)
           VALUES ($1, $2::date, $3, $4, $5, $6) RETURNING *)
         SELECT ${noticeColumns}
         FROM c LEFT JOIN buses o ON o.id = c.old_bus_id LEFT JOIN buses n ON n.id = c.new_bus_id`,
        [
          change.tripId,
          change.serviceDate,
          change.changedAt.toISOString(),
          change.oldBusId,
          change.newBusId,
          change.changedBy,
        ],
      )
      return toNotice(row!)
    },

    /**
     * The changes of bus of the trips that carry this pupil, for the service days named, oldest
     * first. Only the pupil's own trips: another child's trip is never among them.
     */
    pupilBusChanges: async (pupilId: string, serviceDates: readonly string[]): Promise<BusChangeNotice[]> =>
      (
        await db.query<NoticeRow>(
          `SELECT ${noticeColumns}
           FROM trip_bus_changes c
           JOIN trip_pupils tp ON tp.trip_id = c.trip_id AND tp.pupil_id = $1
           LEFT JOIN buses o ON o.id = c.old_bus_id LEFT JOIN buses n ON n.id = c.new_bus_id
           WHERE c.service_date = ANY($2::date[])
           ORDER BY c.changed_at, c.id`,
          [pupilId, serviceDates],
        )
      ).map(toNotice),
  }
}
