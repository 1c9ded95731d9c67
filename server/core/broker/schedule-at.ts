import type { Clock } from '../clock/clock.js'

/** Node fires a timer of more than 2^31 - 1 ms at once, so longer waits are taken in steps. */
const longestTimerMs = 2 ** 31 - 1

/** Runs `task` once `clock` reads `at` or later; returns a function that cancels it. */
export function scheduleAt(clock: Clock, at: Date, task: () => void): () => void {
  let timer: NodeJS.Timeout | undefined
  const wait = () => {
    const remainingMs = at.getTime() - clock.now().getTime()
    if (remainingMs <= 0) return task()
    timer = setTimeout(wait, Math.min(remainingMs, longestTimerMs))
    timer.unref()
  }
  wait()
  return () => clearTimeout(timer)
}
