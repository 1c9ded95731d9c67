import type { Queryable } from '../store/database.js'
import { createScoreQueries } from '../store/score-queries.js'

/** The drivers whose 12 points have taken them off school-bus duty, by staff code, as the register reads them. */
export async function readRemovedByScore(db: Queryable): Promise<ReadonlySet<string>> {
  return new Set((await createScoreQueries(db).standingRemovals()).map((removal) => removal.staffId))
}
