import type { Queryable } from '../store/database.js'
import { createScoreQueries } from '../store/score-queries.js'

/**
 * The drivers whose 12 points have taken them off school-bus duty on `day`, by staff code, as the
 * register reads them: a removal stands until the bureau lifts it or its cycle ends (the next cycle
 * starts at 0), so a day of a later cycle, or after the lifting, finds none.
 */
export async function readRemovedByScore(db: Queryable, day: string): Promise<ReadonlySet<string>> {
  return new Set((await createScoreQueries(db).standingRemovals(day)).map((removal) => removal.staffId))
}
