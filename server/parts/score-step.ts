import { createScoring } from '../core/score/score-alarm-events.js'
import type { ProcessContext } from './process-context.js'
import { tickEvery } from './repeat-every.js'

/** How often new alarm events are scored: a threshold's task reaches the inbox within it and the inbox's own step. */
const scoreStepMs = 5000

/**
 * The 12-point score kept current, in the alarms part: every few seconds the alarm events not yet
 * scored cost their driver and company points, thresholds open their tasks, and points of cases
 * closed as false alarms are voided. Several processes may run it on one store; they take turns.
 * Returns the stop of the step.
 */
export function startScoring(context: Pick<ProcessContext, 'db' | 'clock' | 'log'>): () => Promise<void> {
  const log = context.log.child('score')
  const scoring = createScoring({ db: context.db, clock: context.clock })
  return tickEvery(scoreStepMs, async () => {
    try {
      const { tasks } = await scoring.step()
      for (const task of tasks) log.info(`the 12-point score opened a ${task.step} task`, task)
    } catch (error) {
      log.warn('could not score the alarm events', { error: String(error) })
    }
  })
}
