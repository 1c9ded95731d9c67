import type { AlarmCaseState, AlarmOutcome } from '../alarms/alarm-case.js'
import type { Label } from './label.js'

/** A case's states in the alarm inbox, in words: the console and the score's history name them. */
export const alarmCaseStateLabels: Readonly<Record<AlarmCaseState, Label>> = {
  open: { zh: '待处理', en: 'New' },
  acknowledged: { zh: '已确认', en: 'Acknowledged' },
  assigned: { zh: '已指派', en: 'Assigned' },
  closed: { zh: '已结案', en: 'Closed' },
}

/** How a case ended, in words. */
export const alarmOutcomeLabels: Readonly<Record<AlarmOutcome, Label>> = {
  resolved: { zh: '已处理', en: 'Resolved' },
  false_alarm: { zh: '误报', en: 'False alarm' },
  equipment_fault: { zh: '设备故障', en: 'Equipment fault' },
  duplicate: { zh: '重复报警', en: 'Duplicate' },
  referred: { zh: '已移交', en: 'Referred' },
  no_action_needed: { zh: '无需处理', en: 'No action needed' },
}
