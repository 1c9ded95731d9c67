import { createChildLeftOnBusAlarms } from '../alarms/child-left-on-bus.js'
import { tickEvery } from './repeat-every.js'
import type { StartPart } from './running-part.js'

/** How often buses standing with a pupil aboard are looked for. */
const checkMs = 5000

/**
 * The alarms part: every few seconds, the child-left-on-bus check of every trip of the day with a
 * pupil still on board. Several processes may run it on one store: the store keeps one alarm per
 * trip and day, and only the process whose row was stored sends it.
 */
export const startAlarmsPart: StartPart<'alarms'> = async (context) => {
  const log = context.log.child('alarms')
  const alarms = createChildLeftOnBusAlarms({
    db: context.db,
    clock: context.clock,
    log,
    afterS: context.config.LEFT_ON_BUS_AFTER_S,
    publish: context.publisher.publishAlarm,
  })
  const stopChecking = tickEvery(checkMs, () =>
    alarms.checkTelemetry().catch((error: unknown) => {
      log.warn('could not check for children left on buses', { error: String(error) })
    }),
  )
  return { stop: stopChecking }
}
