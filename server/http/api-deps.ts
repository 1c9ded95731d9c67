import type { AccessPolicy } from '../auth/access-policy.js'
import type { Clock } from '../clock/clock.js'
import type { Database } from '../store/database.js'

/** What the API routes are wired with, by the composition root. */
export interface ApiDeps {
  db: Database
  access: AccessPolicy
  clock: Clock
  /** The counters of the ingest worker in this process, where one runs. */
  ingestStats?: () => object
}
