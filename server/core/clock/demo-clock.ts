import { systemClock, type Clock } from './clock.js'
import { toShanghaiTime } from './shanghai-time.js'

const dayMs = 86_400_000

/**
 * A clock running at the real pace but set so that now reads `localTime` (HH:MM) in Cixi, at its
 * nearest occurrence (within twelve hours either way) on a school day: from a Saturday back to the
 * Friday, from a Sunday on to the Monday, so that a demonstration on a weekend evening still has
 * trips to watch. It lets a person watch the morning trips at any hour; everything in the process
 * reads this one clock, so reports, alarms and access agree.
 */
export function createDemoClock(localTime: string, base: Clock = systemClock): Clock {
  const now = base.now()
  const [hours, minutes] = localTime.split(':').map(Number) as [number, number]
  const local = toShanghaiTime(now)
  const [h, m, s] = local.time.split(':').map(Number) as [number, number, number]
  let offsetMs = ((hours - h) * 3600 + (minutes - m) * 60 - s) * 1000
  if (offsetMs > dayMs / 2) offsetMs -= dayMs
  if (offsetMs < -dayMs / 2) offsetMs += dayMs
  const weekday = toShanghaiTime(new Date(now.getTime() + offsetMs)).isoWeekday
  if (weekday === 6) offsetMs -= dayMs
  if (weekday === 7) offsetMs += dayMs
  return { now: () => new Date(base.now().getTime() + offsetMs) }
}

/** The configured clock of a process: real time, or the demo time when DEMO_TIME is set. */
export function configuredClock(config: { DEMO_TIME?: string }): Clock {
  return config.DEMO_TIME ? createDemoClock(config.DEMO_TIME) : systemClock
}
