import type { Acting, AuditLog } from '../auth/audit-log.js'
import type { Clock } from '../clock/clock.js'
import {
  confirmableAlarms,
  createTerminalCommandQueries,
  type ConfirmableAlarm,
} from '../jt808/terminal-commands.js'
import type { Queryable } from '../store/database.js'
import { createEventQueries, type StoredEvent } from '../store/event-queries.js'

export interface EventKey {
  busId: string
  kind: string
  ts: Date
}

/** The alarm a terminal event stands for, when it is one the terminal keeps set until confirmed. */
export function confirmableAlarmOf(eventKind: string): ConfirmableAlarm | undefined {
  const alarm = eventKind.startsWith('terminal_') ? eventKind.slice('terminal_'.length) : undefined
  return confirmableAlarms.find((name) => name === alarm)
}

/**
 * Acknowledges an alarm event, once: a second acknowledgement keeps the first. The first one of an
 * alarm the terminal keeps set until the platform confirms it (its SOS above all) also queues the
 * confirmation (0x8203) for the terminal, which then clears the alarm and ends the event; the
 * command is audited like any other sent to a terminal. The one way an event is acknowledged,
 * whether through the event itself or through its case in the inbox.
 */
export async function acknowledgeAlarmEvent(
  deps: { db: Queryable; clock: Clock; audit: AuditLog },
  key: EventKey,
  acting: Acting,
): Promise<{ event: StoredEvent | undefined; first: boolean }> {
  const { event, first } = await createEventQueries(deps.db).acknowledge(key, acting.actor, deps.clock.now())
  const alarm = confirmableAlarmOf(key.kind)
  if (alarm && first) {
    // The terminal keeps the alarm set (and the event open) until the platform confirms it.
    const command = await createTerminalCommandQueries(deps.db, deps.clock).create({
      busId: key.busId,
      request: { kind: 'alarm_confirm', params: { alarms: [alarm] } },
      createdBy: acting.actor,
    })
    await deps.audit.record({
      ...acting,
      action: 'terminal_command',
      target: key.busId,
      detail: { commandId: command.id, kind: 'alarm_confirm', params: command.params, event: key.kind },
    })
  }
  return { event, first }
}
