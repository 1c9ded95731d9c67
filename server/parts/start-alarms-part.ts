import { createChildLeftOnBusAlarms } from '../alarms/child-left-on-bus.js'
import { startPapersAlarms } from '../alarms/papers-alarms.js'
import { createAlarmCaseSender } from '../core/alarms/send-alarm-cases.js'
import { startReportRefresh } from './report-refresh-step.js'
import { startScoring } from './score-step.js'
import { tickEvery } from './repeat-every.js'
import type { StartPart } from './running-part.js'

/** How often buses standing with a pupil aboard are looked for. */
const checkMs = 5000
/** How often new alarm cases are sent and overdue ones escalated: an alarm reaches the inbox within it. */
const inboxStepMs = 2000

/**
 * The alarms part: every few seconds, the child-left-on-bus check of every trip of the day with a
 * pupil still on board; every other second, the alarm inbox's step, which sends the cases opened
 * since to the bureau and their schools and escalates the critical ones nobody has acknowledged in
 * time. Several processes may run it on one store: the store keeps one alarm per trip and day, and
 * only the process whose row was stored sends it; each case is sent and escalated by one process.
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
  const inbox = createAlarmCaseSender({
    db: context.db,
    clock: context.clock,
    publish: context.publisher.publishAlarmCase,
  })
  const stopChecking = tickEvery(checkMs, () =>
    alarms.checkTelemetry().catch((error: unknown) => {
      log.warn('could not check for children left on buses', { error: String(error) })
    }),
  )
  const stopSending = tickEvery(inboxStepMs, () =>
    inbox.step().then(
      ({ escalated }) => {
        if (escalated > 0) log.warn('escalated alarms nobody acknowledged in time', { escalated })
      },
      (error: unknown) => log.warn('could not send or escalate alarm cases', { error: String(error) }),
    ),
  )
  const stopPapers = startPapersAlarms({ db: context.db, clock: context.clock, log })
  const stopReports = startReportRefresh(context)
  const stopScoring = startScoring(context)
  return {
    async stop() {
      await Promise.all([stopChecking(), stopSending(), stopPapers(), stopReports(), stopScoring()])
    },
  }
}
