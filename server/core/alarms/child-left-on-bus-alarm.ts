import type { PupilOnBoard } from '../store/on-board-queries.js'

export type LeftOnBusReason = 'trip_ended' | 'engine_off_at_last_stop' | 'engine_off_at_depot'

export interface ChildLeftOnBusAlarm {
  busId: string
  kind: 'child_left_on_bus'
  ts: string
  tripId: string
  details: {
    reason: LeftOnBusReason
    serviceDate: string
    schoolId: string
    /**
     * The trips whose pupils are still aboard: the alarm's own first, then any other trip of the
     * bus that a pupil never left, as the same standstill finds them.
     */
    tripIds: string[]
    pupils: PupilOnBoard[]
    /** The people reached outside the app, by phone: the bus's driver, attendant and police contact. */
    contacts: { role: string; name: string; phone: string | null }[]
  }
  acknowledgedBy: null
  acknowledgedAt: null
}

/** One trip whose end or standstill may leave a pupil aboard. */
export interface LeftOnBusRun {
  busId: string
  tripId: string
  /** The bus's other trips with a pupil still aboard, named by the same alarm. */
  otherTripIds?: string[]
  serviceDate: string
  atMs: number
  reason: LeftOnBusReason
}

/** What the API needs of the alarm (server/alarms implements it): raising it when a trip is ended. */
export interface RaiseChildLeftOnBus {
  raise(run: LeftOnBusRun): Promise<ChildLeftOnBusAlarm | null>
}
