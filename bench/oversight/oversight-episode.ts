/** The kinds of oversight the evaluation scores: events the platform raises, each against its injected cause. */
export const oversightKinds = [
  'over_speed',
  'limiter_disabled',
  'terminal_silent',
  'route_off_corridor',
  'stop_skipped',
  'stop_unapproved',
  'child_left_on_bus',
] as const

export type OversightKind = (typeof oversightKinds)[number]

/**
 * Whether the platform must raise an injected episode: `must` (plainly what its rule is for),
 * `must_not` (plainly below the rule's threshold: raising it is a false alarm), or `may` (within
 * the GPS's noise of the threshold, or hidden from the platform by a coverage hole or a terminal
 * without power): raising it or not is neither credited nor faulted.
 */
export type Expectation = 'must' | 'may' | 'must_not'

/** A fault the simulation injected, as the episode the platform should raise for it. */
export interface InjectedEpisode {
  id: string
  kind: OversightKind
  busId: string
  tripId: string | null
  /** A skipped call's stop. */
  stopId: string | null
  startMs: number
  endMs: number
  expected: Expectation
  /** What was injected: speeding, limiter disabled, terminal off, coverage gap, detour, … */
  cause: string
  /** Why it is expected so, and its figures (peak, length), for the episodes file. */
  detail: string
}

/** An event the platform raised, as stored. `endMs` is Infinity while it is still open. */
export interface RaisedEpisode {
  id: string
  kind: OversightKind
  busId: string
  tripId: string | null
  stopId: string | null
  startMs: number
  endMs: number
  detail: string
}

/**
 * How far apart in time a raised event and an injected episode may be and still be the same, per
 * kind. Over-speed and the limiter are dated to the fix; a silence is seen at a tick (every 5 s)
 * and dated from the last report; a route event may begin a little before or after the deviation's
 * drive (the GPS wanders off the corridor before the bus does). A skipped call matches by its trip
 * and stop, and a child left aboard by its trip and day, besides the time.
 */
export const matchToleranceMs: Record<OversightKind, number> = {
  over_speed: 10_000,
  limiter_disabled: 10_000,
  terminal_silent: 30_000,
  route_off_corridor: 60_000,
  stop_skipped: 120_000,
  stop_unapproved: 60_000,
  child_left_on_bus: 12 * 3_600_000,
}
