/** Injected wherever time matters, so logic runs under fake timers and replayed days. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }
