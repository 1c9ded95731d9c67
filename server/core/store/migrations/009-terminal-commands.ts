import type { Migration } from './migration.js'

/**
 * Commands the bureau sends to a bus's JT/T 808 terminal (server/core/jt808/terminal-commands.ts):
 * asked through the API, sent by whichever process holds the terminal's connection, and answered
 * by the terminal. Kept in the store so the API and the gateway need not run in one process.
 *
 * - kind: 'parameters' (0x8103 report interval, top speed, over-speed duration), 'text' (0x8300 to
 *   the driver's display), 'position_query' (0x8201).
 * - params: what the command carries, as the API took it.
 * - sent_at and serial: when and with which serial the gateway sent it (serials are per connection).
 * - answered_at and result: the terminal's answer ('ok', 'failed', 'bad_message', 'unsupported'), or
 *   why there is none ('timed_out' after sending, 'not_connected' when the bus never came online
 *   before expires_at); detail says more.
 */
export const terminalCommands: Migration = {
  version: 9,
  name: 'terminal-commands',
  async up(tx) {
    await tx.exec(`
CREATE TABLE terminal_commands (
  id text PRIMARY KEY,
  bus_id text NOT NULL REFERENCES buses (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('parameters', 'text', 'position_query')),
  params jsonb NOT NULL DEFAULT '{}',
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  sent_at timestamptz,
  serial integer CHECK (serial BETWEEN 0 AND 65535),
  answered_at timestamptz,
  result text CHECK (result IN ('ok', 'failed', 'bad_message', 'unsupported', 'timed_out', 'not_connected')),
  detail text,
  CHECK ((answered_at IS NULL) = (result IS NULL))
);
CREATE INDEX terminal_commands_bus_idx ON terminal_commands (bus_id, created_at);
CREATE INDEX terminal_commands_pending_idx ON terminal_commands (bus_id, created_at) WHERE result IS NULL;
`)
  },
}
