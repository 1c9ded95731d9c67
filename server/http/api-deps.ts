import type { PublishAlarmCase } from '../core/alarms/alarm-case.js'
import type { RaiseChildLeftOnBus } from '../core/alarms/child-left-on-bus-alarm.js'
import type { AccessPolicy } from '../core/auth/access-policy.js'
import type { AuditLog } from '../core/auth/audit-log.js'
import type { LetterSender } from '../core/auth/letter-sender.js'
import type { Sessions } from '../core/auth/sessions.js'
import type { Clock } from '../core/clock/clock.js'
import type { PlanRunner } from '../core/planning/plan-runs.js'
import type { CountyBoundary } from '../core/registers/county-boundary.js'
import type { Database } from '../core/store/database.js'
import type { RoadNetwork } from '../../geo/roads/road-network.js'

export interface LineStringGeometry {
  type: 'LineString'
  /** [lon, lat] pairs, as GeoJSON has them. */
  coordinates: [number, number][]
}

/** What the API routes are wired with, by the composition root. */
export interface ApiDeps {
  db: Database
  access: AccessPolicy
  clock: Clock
  /** The sessions every caller who is a person or a terminal holds: issued, listed and ended here. */
  sessions: Sessions
  /** Who came in, who let whom in or out, who read or took pupils' data. */
  audit: AuditLog
  /** Sends enrolment letters to guardians' phones; without a gateway they are only logged. */
  letterSender?: LetterSender
  /** X-Forwarded-For is believed (TRUST_PROXY): the platform runs behind a reverse proxy. */
  trustProxy?: boolean
  /** The counters of the ingest worker in this process, where one runs. */
  ingestStats?: () => object
  /** Sends a live event to the attendants' phones of one bus, so two phones on a bus agree at once. */
  notifyAttendants?(busId: string, event: string, payload: unknown): void
  /** Sends a live event to the parents of one pupil. */
  notifyParents?(pupilId: string, event: string, payload: unknown): void
  /** The newest position and ETA of a bus, as the live channel last sent them. */
  liveSnapshot?(busId: string): Promise<unknown>
  /** The road network routing drives on, drawn as the pages' base map; loaded on first use. */
  roadNetwork?(): Promise<RoadNetwork>
  /** The road geometry a trip drives, through its stops. */
  tripGeometry?(tripId: string): Promise<LineStringGeometry>
  /** Raises the child-left-on-bus alarm when a trip ends with a pupil still on board. */
  alarms?: RaiseChildLeftOnBus
  /** Sends an acknowledged alarm to the bus's staff (never its parents), so every screen clears it. */
  publishEvent?(event: { busId: string }): void
  /** Sends an alarm case, as it opened or changed, to the bureau and the schools it concerns. */
  publishAlarmCase?: PublishAlarmCase
  /** Runs the bureau's line plans; without it plans can be read but not asked for. */
  planner?: PlanRunner
  /** The county the registers belong to: imported sites and homes must lie in it. */
  county?: CountyBoundary
}
