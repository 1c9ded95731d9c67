import type { Clock } from '../../server/core/clock/clock.js'
import { createDemoClock } from '../../server/core/clock/demo-clock.js'
import { toShanghaiTime } from '../../server/core/clock/shanghai-time.js'

/** A clock at `localTime` in Cixi on a school day (trips run Monday to Friday), at the real pace. */
export function schoolDayClock(localTime: string): Clock {
  for (let days = 0; days < 4; days++) {
    const shifted: Clock = { now: () => new Date(Date.now() + days * 86_400_000) }
    const clock = createDemoClock(localTime, shifted)
    if (toShanghaiTime(clock.now()).isoWeekday <= 5) return clock
  }
  throw new Error('no school day within four days')
}
