import type { Clock } from '../core/clock/clock.js'
import { fromShanghaiTime, toShanghaiTime } from '../core/clock/shanghai-time.js'
import { addDays } from '../core/compliance/calendar-days.js'
import {
  findingCycle,
  withoutBirthDate,
  type ComplianceFinding,
  type ComplianceLevel,
} from '../core/compliance/compliance-finding.js'
import { findComplianceIssues } from '../core/compliance/find-compliance.js'
import type { Logger } from '../core/log/logger.js'
import { readRegisters } from '../core/registers/read-registers.js'
import type { Database } from '../core/store/database.js'

export type PapersAlarmKind = 'papers_expiring' | 'papers_expired'

/** The three steps of a paper's warnings, in days before its due date: 30, 7, and 0 (red). */
const thresholdOfLevel: Record<ComplianceLevel, number> = { notice: 30, amber: 7, red: 0 }

/** Any fixed number: two processes raising the day's papers alarms at once take turns. */
const papersLockKey = 7_302_017

/** The daily pass runs a few minutes into the Cixi day, once the day's date is beyond doubt. */
const afterMidnightMs = 5 * 60_000

export interface PapersAlarm {
  busId: string
  kind: PapersAlarmKind
  ts: string
  details: {
    subject: ComplianceFinding['subject']
    /** The plate, or the person's staff code. */
    key: string
    busPlate: string
    paper: ComplianceFinding['paper']
    rule: ComplianceFinding['rule']
    level: ComplianceLevel
    /** 30, 7 or 0: the step this alarm is for. */
    threshold: number
    /** Null for an age finding (it would give the birthday away) and for missing data. */
    dueDate: string | null
    daysLeft: number | null
    serviceDate: string
    /** Which turn of the paper and which step: the same identity is raised once. */
    identity: string
  }
}

/**
 * The papers alarms: each day, a bus's or a person's paper coming due raises `papers_expiring` once
 * at 30 days and once at 7, and `papers_expired` once when it lapses (or is missing, or a driver is
 * out of the age or experience the law asks); a renewed paper starts over. They go to the `events`
 * table, where the alarm inbox opens a case for each.
 *
 * Events are keyed by bus: a bus's own alarm carries its id; a driver's or attendant's carries the
 * id of the bus they serve (so the case reaches the schools that bus serves), with the person in
 * `details`. A person serving no bus runs no trip: they show in the compliance register only.
 */
export function createPapersAlarms(deps: { db: Database; clock: Clock; log: Logger }) {
  return {
    /** Raises what is due on today's Cixi date and was not raised before; returns what it stored. */
    async raiseDue(): Promise<PapersAlarm[]> {
      const now = deps.clock.now()
      const serviceDate = toShanghaiTime(now).date
      const registers = await readRegisters(deps.db, { registers: ['buses', 'staff'] })
      const busIdOf = new Map(registers.buses.map((bus) => [bus.plate, bus.code]))
      const candidates: Omit<PapersAlarm, 'ts'>[] = []
      for (const finding of findComplianceIssues(registers, serviceDate)) {
        const busId = finding.busPlate === null ? undefined : busIdOf.get(finding.busPlate)
        if (busId === undefined || finding.busPlate === null) continue
        const threshold = thresholdOfLevel[finding.level]
        const shown = withoutBirthDate(finding)
        candidates.push({
          busId,
          kind: threshold === 0 ? 'papers_expired' : 'papers_expiring',
          details: {
            subject: finding.subject,
            key: finding.key,
            busPlate: finding.busPlate,
            paper: finding.paper,
            rule: finding.rule,
            level: finding.level,
            threshold,
            dueDate: shown.dueDate,
            daysLeft: shown.daysLeft,
            serviceDate,
            identity: [finding.subject, finding.key, finding.paper, findingCycle(finding), threshold].join(
              '/',
            ),
          },
        })
      }
      if (candidates.length === 0) return []
      const raised = await deps.db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1)', [papersLockKey])
        const seen = new Set(
          (
            await tx.query<{ identity: string }>(
              `SELECT details->>'identity' AS identity FROM events
               WHERE kind IN ('papers_expiring', 'papers_expired') AND details->>'identity' = ANY($1::text[])`,
              [candidates.map((c) => c.details.identity)],
            )
          ).map((row) => row.identity),
        )
        const stored: PapersAlarm[] = []
        for (const candidate of candidates) {
          if (seen.has(candidate.details.identity)) continue
          // A bus may have several papers come due on one pass; a millisecond apart, each keeps
          // its own (bus, kind, time) key, and so its own case in the inbox.
          const alarm = { ...candidate, ts: new Date(now.getTime() + stored.length).toISOString() }
          const rows = await tx.query(
            `INSERT INTO events (bus_id, kind, ts, details) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING RETURNING bus_id`,
            [alarm.busId, alarm.kind, alarm.ts, JSON.stringify(alarm.details)],
          )
          if (rows.length > 0) stored.push(alarm)
        }
        return stored
      })
      if (raised.length > 0) {
        deps.log.info('papers alarms raised', {
          expiring: raised.filter((a) => a.kind === 'papers_expiring').length,
          expired: raised.filter((a) => a.kind === 'papers_expired').length,
        })
      }
      return raised
    },
  }
}

/**
 * Raises the papers alarms now and then once a day, a few minutes after midnight in Cixi. The
 * returned closer stops the timer and waits for a pass in progress.
 */
export function startPapersAlarms(deps: { db: Database; clock: Clock; log: Logger }): () => Promise<void> {
  const alarms = createPapersAlarms(deps)
  let running: Promise<unknown> = Promise.resolve()
  let timer: NodeJS.Timeout | undefined
  const pass = () => {
    running = alarms.raiseDue().catch((error: unknown) => {
      deps.log.warn('could not raise the papers alarms', { error: String(error) })
    })
  }
  const scheduleNext = () => {
    const now = deps.clock.now()
    const tomorrow = addDays(toShanghaiTime(now).date, 1)
    const delayMs = fromShanghaiTime(tomorrow, '00:00:00').getTime() + afterMidnightMs - now.getTime()
    timer = setTimeout(() => {
      pass()
      scheduleNext()
    }, delayMs)
    timer.unref()
  }
  pass()
  scheduleNext()
  return async () => {
    clearTimeout(timer)
    await running
  }
}
