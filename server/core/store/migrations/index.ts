import { coreSchema } from './001-core-schema.js'
import { tripRuns } from './002-trip-runs.js'
import { boundedDeadLetters } from './003-bounded-dead-letters.js'
import { reportStream } from './004-report-stream.js'
import { childLeftOnBusOnce } from './005-child-left-on-bus-once.js'
import { planRunners } from './006-plan-runners.js'
import { registers } from './007-registers.js'
import { access } from './008-access.js'
import { terminalCommands } from './009-terminal-commands.js'
import { terminalStatus } from './010-terminal-status.js'
import { alarmConfirmCommand } from './011-alarm-confirm-command.js'
import { alarmInbox } from './012-alarm-inbox.js'
import { planWorkings } from './013-plan-workings.js'
import { tripBusChanges } from './014-trip-bus-changes.js'
import { reportDays } from './015-report-days.js'
import { twelvePointScore } from './016-twelve-point-score.js'
import { tripLateAlarm } from './017-trip-late-alarm.js'
import { scoreRemovalLifts } from './018-score-removal-lifts.js'
import { scoreBasisChinese } from './019-score-basis-chinese.js'
import type { Migration } from './migration.js'

/** In version order; a released migration is never edited, only followed by a new one. */
export const migrations: readonly Migration[] = [
  coreSchema,
  tripRuns,
  boundedDeadLetters,
  reportStream,
  childLeftOnBusOnce,
  planRunners,
  registers,
  access,
  terminalCommands,
  terminalStatus,
  alarmConfirmCommand,
  alarmInbox,
  planWorkings,
  tripBusChanges,
  reportDays,
  twelvePointScore,
  tripLateAlarm,
  scoreRemovalLifts,
  scoreBasisChinese,
]
