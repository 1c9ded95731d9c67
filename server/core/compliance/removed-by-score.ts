import type { Queryable } from '../store/database.js'
import { createScoreQueries } from '../store/score-queries.js'

/** Who the 12-point score has taken off school-bus work: drivers by staff code, companies by name. */
export interface RemovedByScore {
  drivers: ReadonlySet<string>
  operators: ReadonlySet<string>
}

/**
 * Who the 12-point score has taken off school-bus work on `day`, as the register reads them. A
 * driver's removal stands until the bureau lifts it or its cycle ends (the next cycle starts at 0),
 * so a day of a later cycle, or after the lifting, finds none; a company's stands for its cycle.
 */
export async function readRemovedByScore(db: Queryable, day: string): Promise<RemovedByScore> {
  const queries = createScoreQueries(db)
  const [drivers, operators] = await Promise.all([
    queries.standingRemovals(day),
    queries.companiesAtRemoval(day),
  ])
  return {
    drivers: new Set(drivers.map((removal) => removal.staffId)),
    operators: new Set(operators.map((company) => company.operator)),
  }
}
