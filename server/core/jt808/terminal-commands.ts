import { randomUUID } from 'node:crypto'
import { schoolBusSpeedCaps } from '../../../geo/speed/school-bus-speed-limit.js'
import type { Clock } from '../clock/clock.js'
import { defaultEventRuleOptions } from '../schedule/event-rule-options.js'
import type { TerminalAlarm } from '../broker/terminal-status.js'
import type { Queryable, Row } from '../store/database.js'
import { jt808ParameterIds } from './message-ids.js'

export const terminalCommandKinds = ['parameters', 'text', 'position_query', 'alarm_confirm'] as const
export type TerminalCommandKind = (typeof terminalCommandKinds)[number]

/** The terminal's answers (0x0001 results), and the two outcomes where it gave none. */
export const terminalCommandResults = [
  'ok',
  'failed',
  'bad_message',
  'unsupported',
  'timed_out',
  'not_connected',
] as const
export type TerminalCommandResult = (typeof terminalCommandResults)[number]

/** The 0x8103 parameters the platform sets, all DWORD. */
export interface TerminalParameters {
  reportIntervalS: number
  topSpeedKmh: number
  overSpeedS: number
}

/**
 * What the school-bus regulation (Decree 617) asks of a bus's terminal: the speed alarm at 60 km/h,
 * the cap on every road but expressways (a bus that takes an expressway is set higher by the bureau,
 * never above 80), raised after as long over it as the platform's own over-speed rule waits, and a
 * report every 10 s so an episode shows in the track.
 */
export const decreeTerminalParameters: TerminalParameters = {
  reportIntervalS: 10,
  topSpeedKmh: schoolBusSpeedCaps.otherRoadKmh,
  overSpeedS: defaultEventRuleOptions.overSpeedMinDurationS,
}

/** What the bureau may set: no top speed above the expressway cap, nor below the hazard cap. */
export const terminalParameterBounds = {
  reportIntervalS: { min: 1, max: 3600 },
  topSpeedKmh: { min: schoolBusSpeedCaps.hazardKmh, max: schoolBusSpeedCaps.expresswayKmh },
  overSpeedS: { min: 1, max: 60 },
} as const satisfies Record<keyof TerminalParameters, { min: number; max: number }>

/** A GBK character takes two bytes: this keeps the 0x8300 body within one frame. */
export const maxDriverTextChars = 300

export type TerminalCommandRequest =
  | { kind: 'parameters'; params: TerminalParameters }
  /** `ttsRead`: the terminal reads the text aloud as well as showing it. */
  | { kind: 'text'; params: { text: string; ttsRead: boolean } }
  | { kind: 'position_query'; params: Record<string, never> }
  /** The alarms confirmed, which the terminal then clears. */
  | { kind: 'alarm_confirm'; params: { alarms: ConfirmableAlarm[] } }

/**
 * The alarms a terminal keeps set until the platform confirms them (0x8203), with their bits there:
 * the emergency button's above all, which a terminal clears only once someone has seen it.
 */
export const confirmableAlarms = [
  'sos',
  'area',
  'route',
  'illegal_ignition',
  'illegal_movement',
] as const satisfies readonly TerminalAlarm[]
export type ConfirmableAlarm = (typeof confirmableAlarms)[number]
export const confirmableAlarmBits: Record<ConfirmableAlarm, number> = {
  sos: 0,
  area: 20,
  route: 21,
  illegal_ignition: 27,
  illegal_movement: 28,
}

/** Where a command is: waiting for its bus's terminal, sent and waiting for the answer, or done. */
export type TerminalCommandState = 'pending' | 'sent' | TerminalCommandResult

export type TerminalCommand = TerminalCommandRequest & {
  id: string
  busId: string
  createdBy: string
  createdAt: Date
  expiresAt: Date
  sentAt: Date | null
  serial: number | null
  answeredAt: Date | null
  result: TerminalCommandResult | null
  detail: string | null
  state: TerminalCommandState
}

export interface TerminalCommandTiming {
  /** A command whose bus's terminal has not connected by then is given up as `not_connected`. */
  expiresAfterMs: number
  /** A sent command the terminal has not answered by then is `timed_out`. */
  answerTimeoutMs: number
}

export const defaultTerminalCommandTiming: TerminalCommandTiming = {
  expiresAfterMs: 10 * 60_000,
  answerTimeoutMs: 30_000,
}

/** The 0x8103 parameter list of a parameters command. */
export function toJt808Parameters(parameters: TerminalParameters): { id: number; value: number }[] {
  return [
    { id: jt808ParameterIds.reportIntervalS, value: parameters.reportIntervalS },
    { id: jt808ParameterIds.topSpeedKmh, value: parameters.topSpeedKmh },
    { id: jt808ParameterIds.overSpeedDurationS, value: parameters.overSpeedS },
  ]
}

/** A 0x0001 result as the command's outcome; 4 (alarm handled) is a success too. */
export function commandResultOf(replyResult: number): TerminalCommandResult {
  switch (replyResult) {
    case 0:
    case 4:
      return 'ok'
    case 2:
      return 'bad_message'
    case 3:
      return 'unsupported'
    default:
      return 'failed'
  }
}

const columns = `id, bus_id, kind, params, created_by, created_at, expires_at, sent_at, serial, answered_at,
  result, detail`

/**
 * Terminal commands in the store: the API creates them, the process holding the terminal's
 * connection takes the pending ones of its buses, sends them and records the answers. Taking a
 * command marks it sent in the same statement, so two gateways never send one command twice.
 */
export function createTerminalCommandQueries(
  db: Queryable,
  clock: Clock,
  timing: TerminalCommandTiming = defaultTerminalCommandTiming,
) {
  return {
    async create(command: {
      busId: string
      request: TerminalCommandRequest
      createdBy: string
    }): Promise<TerminalCommand> {
      const now = clock.now()
      const rows = await db.query(
        `INSERT INTO terminal_commands (id, bus_id, kind, params, created_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7) RETURNING ${columns}`,
        [
          randomUUID(),
          command.busId,
          command.request.kind,
          JSON.stringify(command.request.params),
          command.createdBy,
          now,
          new Date(now.getTime() + timing.expiresAfterMs),
        ],
      )
      return toCommand(rows[0]!)
    },

    /**
     * The buses with commands waiting to be sent: a few rows at most, so a gateway holding
     * thousands of terminals asks for those buses' commands rather than for all of its buses'.
     */
    async listBusesWithPending(): Promise<string[]> {
      const rows = await db.query<{ bus_id: string }>(
        `SELECT DISTINCT bus_id FROM terminal_commands
         WHERE result IS NULL AND sent_at IS NULL AND expires_at > $1`,
        [clock.now()],
      )
      return rows.map((row) => row.bus_id)
    },

    /** The unsent, unexpired commands of these buses, oldest first, now marked sent. */
    async takePending(busIds: readonly string[], limit = 500): Promise<TerminalCommand[]> {
      if (busIds.length === 0) return []
      const now = clock.now()
      const rows = await db.query(
        `UPDATE terminal_commands SET sent_at = $2
         WHERE id IN (
           SELECT id FROM terminal_commands
           WHERE bus_id = ANY($1::text[]) AND result IS NULL AND sent_at IS NULL AND expires_at > $2
           ORDER BY created_at LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING ${columns}`,
        [busIds, now, limit],
      )
      return rows.map(toCommand).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
    },

    /** The serial it went out with, which the terminal's answer names. */
    async markSent(id: string, serial: number): Promise<void> {
      await db.query(`UPDATE terminal_commands SET serial = $2 WHERE id = $1`, [id, serial])
    },

    /** The first outcome stands: an answer after the timeout does not undo `timed_out`. */
    async recordAnswer(
      id: string,
      result: TerminalCommandResult,
      detail: string | null = null,
    ): Promise<boolean> {
      const rows = await db.query(
        `UPDATE terminal_commands SET answered_at = $2, result = $3, detail = $4
         WHERE id = $1 AND result IS NULL RETURNING id`,
        [id, clock.now(), result, detail],
      )
      return rows.length > 0
    },

    /** Gives up on the commands never sent by their expiry, and on those sent and not answered in time. */
    async expire(
      answerTimeoutMs = timing.answerTimeoutMs,
    ): Promise<{ timedOut: number; notConnected: number }> {
      const now = clock.now()
      const notConnected = await db.query(
        `UPDATE terminal_commands SET answered_at = $1, result = 'not_connected',
           detail = 'the bus''s terminal was not connected before the command expired'
         WHERE result IS NULL AND sent_at IS NULL AND expires_at <= $1 RETURNING id`,
        [now],
      )
      const timedOut = await db.query(
        `UPDATE terminal_commands SET answered_at = $1, result = 'timed_out',
           detail = 'the terminal did not answer within ' || $3::text || ' s'
         WHERE result IS NULL AND sent_at IS NOT NULL AND sent_at <= $2 RETURNING id`,
        [now, new Date(now.getTime() - answerTimeoutMs), String(Math.round(answerTimeoutMs / 1000))],
      )
      return { timedOut: timedOut.length, notConnected: notConnected.length }
    },

    async get(id: string): Promise<TerminalCommand | undefined> {
      const rows = await db.query(`SELECT ${columns} FROM terminal_commands WHERE id = $1`, [id])
      return rows[0] ? toCommand(rows[0]) : undefined
    },

    /** Newest first. */
    async listForBus(busId: string, limit = 100): Promise<TerminalCommand[]> {
      const rows = await db.query(
        `SELECT ${columns} FROM terminal_commands WHERE bus_id = $1
         ORDER BY created_at DESC, id DESC LIMIT $2`,
        [busId, limit],
      )
      return rows.map(toCommand)
    },
  }
}

export type TerminalCommandQueries = ReturnType<typeof createTerminalCommandQueries>

const toDate = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string))

function toCommand(row: Row): TerminalCommand {
  const sentAt = toDate(row.sent_at)
  const result = (row.result as TerminalCommandResult | null) ?? null
  const params = typeof row.params === 'string' ? JSON.parse(row.params) : row.params
  return {
    id: row.id as string,
    busId: row.bus_id as string,
    kind: row.kind as TerminalCommandKind,
    params,
    createdBy: row.created_by as string,
    createdAt: toDate(row.created_at)!,
    expiresAt: toDate(row.expires_at)!,
    sentAt,
    serial: (row.serial as number | null) ?? null,
    answeredAt: toDate(row.answered_at),
    result,
    detail: (row.detail as string | null) ?? null,
    state: result ?? (sentAt ? 'sent' : 'pending'),
  } as TerminalCommand
}
