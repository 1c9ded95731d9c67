import { toShanghaiTime } from '../core/clock/shanghai-time.js'
import type { nextParentLink } from './next-parent-link.js'

/**
 * A link to the attendant page for someone to try at once: the attendant of the bus whose next
 * trip today ends soonest, so the page opens on a trip about to run, or running.
 */
export async function nextAttendantLink(
  deps: Parameters<typeof nextParentLink>[0],
): Promise<string | undefined> {
  const local = toShanghaiTime(deps.clock.now())
  const [attendant] = await deps.db.query<{ id: string; busId: string }>(
    `SELECT s.id, t.bus_id AS "busId"
     FROM trips t
     JOIN staff s ON s.bus_id = t.bus_id AND s.role = 'attendant'
     JOIN trip_stops last ON last.trip_id = t.id
      AND last.seq = (SELECT max(x.seq) FROM trip_stops x WHERE x.trip_id = t.id)
     WHERE t.bus_id IS NOT NULL AND $1::int = ANY (t.weekdays) AND last.arrive_time >= $2::time
     ORDER BY last.arrive_time, s.id LIMIT 1`,
    [local.isoWeekday, local.time],
  )
  if (!attendant) return undefined
  const token = await deps.tokens.issue(
    { role: 'attendant', sub: attendant.id, busId: attendant.busId },
    { ttlS: deps.ttlS },
  )
  return `${deps.httpUrl}/attendant/#token=${token}`
}
