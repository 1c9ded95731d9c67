import { AccessRefused, ApiRejected } from '../shared/api-client.js'
import { describeRefusal } from '../shared/refusal-text.js'
import type { Alarm } from './attendant-contract.js'
import { render, tell } from './attendant-render.js'
import { alarmKey, io, reach, state, text } from './attendant-state.js'

export async function loadAlarms() {
  const answer = await reach(() => io.api.leftOnBusAlarms())
  if (!answer) return
  state.alarms = []
  for (const alarm of answer.events) if (alarm.busId === state.busId) upsertAlarm(alarm)
}

export function upsertAlarm(alarm: Alarm) {
  const key = alarmKey(alarm)
  state.alarms = [alarm, ...state.alarms.filter((a) => alarmKey(a) !== key)].sort(
    (a, b) => Date.parse(b.ts) - Date.parse(a.ts),
  )
}

export async function acknowledge(key: string) {
  const alarm = state.alarms.find((a) => alarmKey(a) === key)
  if (!alarm) return
  try {
    upsertAlarm((await io.api.acknowledge(alarm)).event)
  } catch (error) {
    if (error instanceof ApiRejected) tell(describeRefusal(error, text().refusals, text().lang), 'bad')
    else if (error instanceof AccessRefused) throw error
    else tell(text().needsConnection, 'warn')
  }
  render()
}
