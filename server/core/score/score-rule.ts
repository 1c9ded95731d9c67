import type { AlarmOutcome } from '../alarms/alarm-case.js'

/**
 * The 12-point score's table, as the bureau edits it (migration 16): an alarm event of a kind in
 * the table costs its driver and its bus's operating company points, a fixed number or, for
 * over-speed, a number by how far over the limit the bus went.
 */

export const scoreSubjects = ['driver', 'company'] as const
export type ScoreSubject = (typeof scoreSubjects)[number]

/** How far over its limit an over-speed episode went: in % of the limit, or in km/h. */
export const scoreMeasures = ['over_limit_pct', 'over_limit_kmh'] as const
export type ScoreMeasure = (typeof scoreMeasures)[number]

/** The points from a margin of `from` (inclusive) up to the next step's. */
export interface ScoreBand {
  from: number
  points: number
}

export interface ScoreBands {
  measure: ScoreMeasure
  /** `from` ascending; a margin below the first costs nothing. */
  steps: ScoreBand[]
}

/** The kind whose events carry a peak speed and its limit, and so may be scored by bands. */
export const bandedKind = 'over_speed'

export interface ScoreRule {
  kind: string
  /** Points for each event; null when the rule has bands. */
  points: number | null
  bands: ScoreBands | null
  /** Whom the kind charges. */
  subjects: ScoreSubject[]
  /** Where the points come from: the law, the seeds, or the bureau's say. */
  basis: string | null
}

/** A point's worth as the rule gave it, kept with the point. */
export interface PointsJudged {
  points: number
  measure: ScoreMeasure | null
  /** The margin the bands were read at; null without bands or when the event lacks the speeds. */
  margin: number | null
  band: ScoreBand | null
}

/**
 * Closing a case with one of these takes its points back: nothing happened, the equipment and not
 * the crew was at fault, or another case already counts it. A case resolved, referred or needing no
 * action keeps its points: the violation stands, whatever else was done about it.
 */
export const voidingOutcomes = [
  'false_alarm',
  'equipment_fault',
  'duplicate',
] as const satisfies readonly AlarmOutcome[]

export const voidsPoints = (outcome: string | null): boolean =>
  outcome !== null && (voidingOutcomes as readonly string[]).includes(outcome)

const numberIn = (details: Record<string, unknown>, field: string): number | null => {
  const value = details[field]
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

/** How far over its limit the event's peak went, by `measure`; null when the event does not say. */
export function marginOf(measure: ScoreMeasure, details: Record<string, unknown>): number | null {
  const peakKmh = numberIn(details, 'peakKmh')
  const limitKmh = numberIn(details, 'limitKmh')
  if (peakKmh === null || limitKmh === null || limitKmh <= 0) return null
  const overKmh = peakKmh - limitKmh
  // Rounded to a tenth, as the margin is shown: a step is met by the margin the bureau reads.
  return Math.round((measure === 'over_limit_kmh' ? overKmh : (overKmh / limitKmh) * 100) * 10) / 10
}

/**
 * What an event costs by its rule. With bands, the highest step its margin reaches, or nothing
 * below the first; an event that names no speeds (none of ours, but an edited table may point bands
 * at one) costs the first step's points, since the violation itself is not in doubt.
 */
export function pointsForEvent(rule: ScoreRule, details: Record<string, unknown>): PointsJudged {
  if (!rule.bands) return { points: rule.points ?? 0, measure: null, margin: null, band: null }
  const { measure, steps } = rule.bands
  const margin = marginOf(measure, details)
  if (margin === null) {
    const first = steps[0] ?? null
    return { points: first?.points ?? 0, measure, margin: null, band: first }
  }
  let band: ScoreBand | null = null
  for (const step of steps) if (margin >= step.from) band = step
  return { points: band?.points ?? 0, measure, margin, band }
}

/**
 * Whether to wait before scoring an event: an episode scored by bands still going (its end not yet
 * written) may reach a higher step, so it is scored when it ends or, if its end never comes (the
 * terminal fell silent for good), `settleAfterMs` after it began.
 */
export function awaitsSettling(
  rule: ScoreRule,
  event: { ts: Date; details: Record<string, unknown> },
  now: Date,
  settleAfterMs: number,
): boolean {
  if (!rule.bands) return false
  return event.details.endTs === null && now.getTime() - event.ts.getTime() < settleAfterMs
}

export interface ScoreSubjectKey {
  subject: ScoreSubject
  /** A driver's staff code; a company's name, as the bus register gives its operator. */
  key: string
}

/**
 * Whom an event charges. The driver is the bus's driver as the staff register assigns them (trips
 * name no driver; a trip given another bus is driven by that bus's driver, and the event is that
 * bus's); for a lapsed paper, the driver only when it is the driver's own paper. The company is
 * the bus's operator.
 */
export function subjectsOfEvent(
  rule: Pick<ScoreRule, 'subjects'>,
  event: { kind: string; details: Record<string, unknown> },
  bus: { driverId: string | null; company: string | null },
): ScoreSubjectKey[] {
  const charged: ScoreSubjectKey[] = []
  const driver = event.kind.startsWith('papers_') ? paperDriverOf(event.details) : bus.driverId
  if (rule.subjects.includes('driver') && driver) charged.push({ subject: 'driver', key: driver })
  if (rule.subjects.includes('company') && bus.company) charged.push({ subject: 'company', key: bus.company })
  return charged
}

/** A papers alarm names whose paper it is: the driver's own, or none of the driver's. */
const paperDriverOf = (details: Record<string, unknown>): string | null =>
  details.subject === 'driver' && typeof details.key === 'string' ? details.key : null
