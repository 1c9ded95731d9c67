import type { Clock } from '../core/clock/clock.js'
import { toShanghaiTime } from '../core/clock/shanghai-time.js'
import type { Queryable } from '../core/store/database.js'
import type { AccessTokens } from '../core/auth/access-tokens.js'

/**
 * A link to the parent page for someone to try at once: a guardian whose child rides the next trip
 * to drop a child off today, so the bus is about to be, or is already, on the map.
 */
export async function nextParentLink(deps: {
  db: Queryable
  tokens: AccessTokens
  clock: Clock
  httpUrl: string
  /** The link's token lasts this long: it is for trying the page now, not for keeping. */
  ttlS: number
}): Promise<string | undefined> {
  const local = toShanghaiTime(deps.clock.now())
  const [guardian] = await deps.db.query<{ id: string; pupilIds: string[] }>(
    `SELECT pg.guardian_id AS id,
            (SELECT array_agg(o.pupil_id ORDER BY o.pupil_id) FROM pupil_guardians o
             WHERE o.guardian_id = pg.guardian_id) AS "pupilIds"
     FROM trip_pupils tp
     JOIN trips t ON t.id = tp.trip_id
     JOIN trip_stops alight ON alight.trip_id = t.id AND alight.seq = tp.alight_seq
     JOIN pupil_guardians pg ON pg.pupil_id = tp.pupil_id
     WHERE t.bus_id IS NOT NULL AND $1::int = ANY (t.weekdays) AND alight.arrive_time >= $2::time
     ORDER BY alight.arrive_time, pg.guardian_id LIMIT 1`,
    [local.isoWeekday, local.time],
  )
  if (!guardian) return undefined
  const token = await deps.tokens.issue(
    { role: 'parent', sub: guardian.id, pupilIds: guardian.pupilIds },
    { ttlS: deps.ttlS },
  )
  return `${deps.httpUrl}/parent#token=${token}`
}
