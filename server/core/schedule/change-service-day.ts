import { fromShanghaiTime, toShanghaiTime } from '../clock/shanghai-time.js'

const dayMs = 86_400_000
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10)

/**
 * The service day a change made to a trip at `at` is for: today while the trip has yet to finish
 * today, else the next day it runs. A bus swapped in the evening for a broken-down one is
 * tomorrow morning's news, and is told on that morning too.
 */
export function serviceDayOfChange(
  trip: {
    /** ISO weekdays the trip runs on, 1 = Monday. */
    weekdays: readonly number[]
    /** Local 'HH:MM:SS' at which the trip leaves its last stop. */
    endTime: string
  },
  at: Date,
): string {
  const today = toShanghaiTime(at).date
  for (let days = 0; days <= 7; days++) {
    const date = addDays(today, days)
    const weekday = toShanghaiTime(fromShanghaiTime(date, '12:00:00')).isoWeekday
    if (!trip.weekdays.includes(weekday)) continue
    if (days === 0 && fromShanghaiTime(date, trip.endTime).getTime() < at.getTime()) continue
    return date
  }
  // A trip that runs on no day: the change is of the day it was made.
  return today
}
