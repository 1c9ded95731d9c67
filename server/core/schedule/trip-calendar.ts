import { fromShanghaiTime, toShanghaiTime } from '../clock/shanghai-time.js'

export interface ScheduledStop {
  seq: number
  stopId: string
  lat: number
  lon: number
  /** Local times (Asia/Shanghai), 'HH:MM:SS'. */
  arriveTime: string
  departTime: string
  /** The stop's name, and whether the call is the trip's school, where the schedule says. */
  name?: string
  school?: boolean
}

/** A bus's trip as the store schedules it on some weekday; stops in seq order. */
export interface ScheduledTrip {
  id: string
  busId: string
  stops: ScheduledStop[]
}

/** Trips from their stops' rows, as the store lists them (by trip, then seq). */
export function groupScheduledTrips(
  rows: readonly (ScheduledStop & { tripId: string; busId: string })[],
): ScheduledTrip[] {
  const trips = new Map<string, ScheduledTrip>()
  for (const { tripId, busId, ...stop } of rows) {
    const trip = trips.get(tripId) ?? { id: tripId, busId, stops: [] }
    trip.stops.push(stop)
    trips.set(tripId, trip)
  }
  return [...trips.values()]
}

export interface TripStopPlace {
  seq: number
  stopId: string
  lat: number
  lon: number
  /** The timetable's arrival at the stop on the trip's service day. */
  arriveAt?: Date
  name?: string
  /** The call is the trip's school (its gate stop, else its last call to school or first call from it). */
  school?: boolean
}

/** When a trip counts as running on one service day: from `startsAt` to `endsAt`, around its stops' times. */
export interface RunningWindow {
  startsAt: Date
  endsAt: Date
  firstStopAt: Date
  lastStopAt: Date
}

/** A trip on one service day, with the window in which it counts as running. */
export interface RunningTrip extends RunningWindow {
  tripId: string
  busId: string
  stops: readonly TripStopPlace[]
}

export interface TripTimetable {
  /** The trip of this bus running at that instant; where windows overlap, the one nearest its stops' times. */
  findRunningTrip(busId: string, at: Date): RunningTrip | undefined
  listRunningTrips(at: Date): RunningTrip[]
}

const dayMs = 86_400_000

/** The running windows of the trips scheduled on one service day, per bus. */
export function planServiceDay(
  trips: readonly ScheduledTrip[],
  date: string,
  options: { tripLeadS: number; tripGraceS: number },
): Map<string, RunningTrip[]> {
  const byBus = new Map<string, RunningTrip[]>()
  for (const trip of trips) {
    const first = trip.stops[0]
    const last = trip.stops[trip.stops.length - 1]
    if (!first || !last) continue
    const running: RunningTrip = {
      tripId: trip.id,
      busId: trip.busId,
      ...runningWindow(
        fromShanghaiTime(date, first.arriveTime),
        fromShanghaiTime(date, last.departTime),
        options,
      ),
      stops: trip.stops.map(({ seq, stopId, lat, lon, arriveTime, name, school }) => ({
        seq,
        stopId,
        lat,
        lon,
        arriveAt: fromShanghaiTime(date, arriveTime),
        ...(name === undefined ? {} : { name }),
        ...(school === undefined ? {} : { school }),
      })),
    }
    const list = byBus.get(trip.busId) ?? []
    list.push(running)
    byBus.set(trip.busId, list)
  }
  for (const list of byBus.values()) list.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
  return byBus
}

/** A trip runs from `tripLeadS` before its first stop's arrival to `tripGraceS` after its last stop's departure. */
export function runningWindow(
  firstStopAt: Date,
  lastStopAt: Date,
  options: { tripLeadS: number; tripGraceS: number },
): RunningWindow {
  return {
    startsAt: new Date(firstStopAt.getTime() - options.tripLeadS * 1000),
    endsAt: new Date(lastStopAt.getTime() + options.tripGraceS * 1000),
    firstStopAt,
    lastStopAt,
  }
}

/** Of one bus's trips, the one running at `ms`: where windows overlap, the one nearest its stops' times. */
export function pickRunningTrip<T extends RunningWindow>(
  trips: readonly T[] | undefined,
  ms: number,
): T | undefined {
  let best: T | undefined
  let bestOffMs = Number.POSITIVE_INFINITY
  for (const trip of trips ?? []) {
    if (ms < trip.startsAt.getTime() || ms > trip.endsAt.getTime()) continue
    const offMs = Math.max(0, trip.firstStopAt.getTime() - ms, ms - trip.lastStopAt.getTime())
    if (offMs <= bestOffMs) {
      best = trip
      bestOffMs = offMs
    }
  }
  return best
}

interface ServiceDay {
  startMs: number
  endMs: number
  /** When it was read from the store, on the caller's clock. */
  loadedAtMs: number
  byBus: Map<string, RunningTrip[]>
}

/**
 * How long a loaded service day is trusted. A trip's bus or times can change during the day
 * (`PATCH /api/trips/{id}`), and every process that judges or estimates trips keeps its own
 * calendar: reading the day again after a few seconds brings a change to all of them without a
 * message between processes. One day's schedule is a small query.
 */
export const tripCalendarMaxAgeMs = 5000

/**
 * Which trip each bus runs when, from the store's schedule, per service day (Asia/Shanghai), kept
 * for the few most recent days so late reports still find their trip, and read again once older
 * than `maxAgeMs`. Lookups are synchronous; `prepare` loads the days a batch needs first.
 */
export function createTripCalendar(options: {
  loadTrips(isoWeekday: number): Promise<ScheduledTrip[]>
  tripLeadS: number
  tripGraceS: number
  keepDays?: number
  maxAgeMs?: number
}): TripTimetable & { prepare(instants: Iterable<Date>, now: Date): Promise<void> } {
  const keepDays = options.keepDays ?? 3
  const maxAgeMs = options.maxAgeMs ?? tripCalendarMaxAgeMs
  const days: ServiceDay[] = []

  const findDay = (ms: number) => days.find((day) => ms >= day.startMs && ms < day.endMs)

  const loadDay = async (date: string, isoWeekday: number, nowMs: number) => {
    const trips = await options.loadTrips(isoWeekday)
    const startMs = fromShanghaiTime(date, '00:00:00').getTime()
    const day = {
      startMs,
      endMs: startMs + dayMs,
      loadedAtMs: nowMs,
      byBus: planServiceDay(trips, date, options),
    }
    const known = days.findIndex((kept) => kept.startMs === startMs)
    if (known >= 0) {
      // Two loads of one day may overlap; the one read last wins.
      if (days[known]!.loadedAtMs <= nowMs) days[known] = day
      return
    }
    days.push(day)
    days.sort((a, b) => b.startMs - a.startMs)
    days.splice(keepDays)
  }

  return {
    /** Loads the service days of these instants not loaded within `maxAgeMs`, back to `keepDays` days before now's. */
    async prepare(instants, now) {
      const today = toShanghaiTime(now).date
      const nowMs = now.getTime()
      const oldestMs = fromShanghaiTime(today, '00:00:00').getTime() - (keepDays - 1) * dayMs
      const due = new Map<string, number>()
      for (const at of instants) {
        const ms = at.getTime()
        if (ms < oldestMs) continue
        const day = findDay(ms)
        if (day && nowMs - day.loadedAtMs < maxAgeMs) continue
        const local = toShanghaiTime(at)
        due.set(local.date, local.isoWeekday)
      }
      await Promise.all([...due].map(([date, isoWeekday]) => loadDay(date, isoWeekday, nowMs)))
    },

    findRunningTrip(busId, at) {
      const ms = at.getTime()
      return pickRunningTrip(findDay(ms)?.byBus.get(busId), ms)
    },

    listRunningTrips(at) {
      const ms = at.getTime()
      const day = findDay(ms)
      if (!day) return []
      const running: RunningTrip[] = []
      for (const trips of day.byBus.values()) {
        const trip = pickRunningTrip(trips, ms)
        if (trip) running.push(trip)
      }
      return running
    },
  }
}
