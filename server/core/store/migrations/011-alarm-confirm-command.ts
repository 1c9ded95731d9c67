import type { Migration } from './migration.js'

/**
 * A terminal command may be 'alarm_confirm' (0x8203): the platform's confirmation of an alarm the
 * terminal latches until it is confirmed, such as the emergency (SOS) button's. Sent when a person
 * acknowledges the alarm's event.
 */
export const alarmConfirmCommand: Migration = {
  version: 11,
  name: 'alarm-confirm-command',
  async up(tx) {
    await tx.exec(`
ALTER TABLE terminal_commands DROP CONSTRAINT terminal_commands_kind_check;
ALTER TABLE terminal_commands ADD CONSTRAINT terminal_commands_kind_check
  CHECK (kind IN ('parameters', 'text', 'position_query', 'alarm_confirm'));
`)
  },
}
