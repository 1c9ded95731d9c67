import { defaultEventRuleOptions } from '../schedule/event-rule-options.js'

/**
 * What the bureau's console calls a bus now. Five come from the users' own words (on a trip on
 * time, late, off route, parked, silent); `deadhead` is the bus driving with no trip running (to
 * its first stop, back to the depot), which none of the five describes truthfully.
 */
export const busStates = ['on_time', 'late', 'off_route', 'deadhead', 'parked', 'silent'] as const
export type BusState = (typeof busStates)[number]

export interface BusStateRules {
  /** No report for longer than this is a silent terminal: the events part's silence rule. */
  silentAfterS: number
  /** A trip this far behind its timetable (or more) is late. */
  lateAfterS: number
  /** Faster than this, the bus is moving (GPS drift at a standstill stays below it). */
  movingKmh: number
}

export const defaultBusStateRules: BusStateRules = {
  silentAfterS: defaultEventRuleOptions.silentAfterS,
  lateAfterS: 300,
  movingKmh: defaultEventRuleOptions.movingKmh,
}

/** What the platform knows of one bus at one instant, as the state needs it. */
export interface BusStateFacts {
  /** The newest report, or null when the bus has never reported. */
  lastReport: { ts: Date; speedKmh: number | null; ignition: boolean | null } | null
  /** A trip of the bus runs now by the timetable (its window, not ended by the attendant). */
  tripRunning: boolean
  /** The running trip's bus left its approved path and has not rejoined it, or its ETA says so. */
  offRoute: boolean
  /** How far the running trip is behind its timetable, in seconds (negative: ahead); null: unknown. */
  lateS: number | null
}

/**
 * The bus's state. During a trip: silent when its terminal is quiet past the silence rule's
 * threshold (a quiet bus cannot be judged on anything else), then off route, then late, else on
 * time. Without a trip: a bus that has never reported is silent; one standing or with its engine
 * off is parked (a parked terminal may report seldom), unless its engine is on and it has gone
 * quiet; one moving is a deadhead run, or silent once quiet.
 */
export function decideBusState(
  facts: BusStateFacts,
  now: Date,
  rules: BusStateRules = defaultBusStateRules,
): BusState {
  const { lastReport } = facts
  const quiet = !lastReport || now.getTime() - lastReport.ts.getTime() > rules.silentAfterS * 1000
  if (facts.tripRunning) {
    if (quiet) return 'silent'
    if (facts.offRoute) return 'off_route'
    if (facts.lateS !== null && facts.lateS >= rules.lateAfterS) return 'late'
    return 'on_time'
  }
  if (!lastReport) return 'silent'
  const moving = (lastReport.speedKmh ?? 0) > rules.movingKmh
  if (lastReport.ignition === false) return 'parked'
  if (quiet) return 'silent'
  return moving ? 'deadhead' : 'parked'
}

/** The states in the order the console lists and counts them: the ones to look at first. */
export const busStateOrder: Record<BusState, number> = {
  off_route: 0,
  silent: 1,
  late: 2,
  on_time: 3,
  deadhead: 4,
  parked: 5,
}
