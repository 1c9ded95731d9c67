import { fromShanghaiTime, toShanghaiTime } from '../clock/shanghai-time.js'
import type { ParentWindow } from '../store/scope-queries.js'

export interface RideCandidate {
  tripId: string
  weekdays: readonly number[]
  /** Local 'HH:MM:SS' of the trip's first stop and of the pupil's drop-off. */
  startTime: string
  alightTime: string
}

export interface PickedRide<T> {
  trip: T
  date: string
  visibleFrom: Date
  /** The latest the bus stays visible: a recorded drop-off ends it sooner. */
  visibleUntil: Date
}

const dayMs = 86_400_000
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10)

/**
 * The ride a parent wants to see: today's trip that is running or still to come, else the first
 * trip of the coming week. Trips are compared on their local start times.
 */
export function pickPupilRide<T extends RideCandidate>(
  trips: readonly T[],
  at: Date,
  window: Pick<ParentWindow, 'leadMin' | 'lateMin'>,
): { current: PickedRide<T> | null; next: PickedRide<T> | null } {
  const today = toShanghaiTime(at)
  const ridesOn = (date: string) => {
    const weekday = toShanghaiTime(fromShanghaiTime(date, '12:00:00')).isoWeekday
    return trips
      .filter((trip) => trip.weekdays.includes(weekday))
      .map((trip) => ({
        trip,
        date,
        visibleFrom: new Date(fromShanghaiTime(date, trip.startTime).getTime() - window.leadMin * 60_000),
        visibleUntil: new Date(fromShanghaiTime(date, trip.alightTime).getTime() + window.lateMin * 60_000),
      }))
      .sort((a, b) => a.visibleFrom.getTime() - b.visibleFrom.getTime())
  }
  const current = ridesOn(today.date).find((ride) => ride.visibleUntil.getTime() >= at.getTime()) ?? null
  if (current) return { current, next: null }
  for (let days = 1; days <= 7; days++) {
    const [first] = ridesOn(addDays(today.date, days))
    if (first) return { current: null, next: first }
  }
  return { current: null, next: null }
}
