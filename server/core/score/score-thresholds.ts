/**
 * The steps of the 12-point score (Shaoxing's scheme, seeds/004): at 6 points in a cycle an
 * interview, at 10 a warning, at 12 removal from school-bus duty, each a task in the alarm inbox.
 */
export const scoreSteps = ['interview', 'warning', 'removal'] as const
export type ScoreStep = (typeof scoreSteps)[number]

export type ScoreThresholds = Record<ScoreStep, number>

/** The event kind that opens each step's task in the inbox (in the alarm catalogue, migration 16). */
export const taskKindOfStep = {
  interview: 'score_interview',
  warning: 'score_warning',
  removal: 'score_removal',
} as const satisfies Record<ScoreStep, string>

/** A step a cycle reached earlier, at the threshold of that time. */
export interface ReachedStep {
  step: ScoreStep
  threshold: number
  /** Voided points have taken the total back under it since, and its task was told. */
  fallenBelow: boolean
}

export interface ThresholdJudgement {
  /** Steps the total reaches for the first time in the cycle, lowest first. */
  reached: ScoreStep[]
  /**
   * The one step to open a task for: the highest reached now. A deduction that passes several
   * steps at once (a child left on the bus, 12 points) opens one task, the gravest; the steps
   * passed on the way are recorded as reached and covered by it.
   */
  task: ScoreStep | null
  /** Steps reached before whose threshold the total is now under: noted, never undone. */
  fallenBelow: ScoreStep[]
}

/**
 * What a cycle's new total means against the thresholds: the steps newly reached, and the steps
 * reached before that voided points have taken it back under. A step once reached stays reached
 * in its cycle, its task open or worked as the bureau sees fit; falling under it is noted on the
 * task, and reaching it again opens nothing new.
 */
export function judgeThresholds(
  total: number,
  thresholds: ScoreThresholds,
  before: readonly ReachedStep[],
): ThresholdJudgement {
  const already = new Set(before.map((entry) => entry.step))
  const reached = scoreSteps.filter((step) => !already.has(step) && total >= thresholds[step])
  const fallenBelow = before
    .filter((entry) => !entry.fallenBelow && total < entry.threshold)
    .map((entry) => entry.step)
  return { reached, task: reached[reached.length - 1] ?? null, fallenBelow }
}

/** Whether a step reached still stands: the total is at or over the threshold it was reached at. */
export const standsAt = (total: number, entry: Pick<ReachedStep, 'threshold'>): boolean =>
  total >= entry.threshold
