import type { AlarmCaseState, AlarmOutcome, AlarmSeverity } from '../../server/core/alarms/alarm-case.js'
import type { BusState } from '../../server/core/fleet/bus-state.js'
import type { AppErrorCode } from '../../server/core/errors/app-error.js'
import type { Lang } from '../shared/language.js'
import type { RefusalText, StaffPageText } from '../shared/staff-page.js'
import type { DeviceHealth } from './bureau-contract.js'
import { bureauTextEn } from './bureau-text-en.js'
import { bureauTextZh } from './bureau-text-zh.js'

export type View = 'fleet' | 'inbox'
export type ErrorKind = 'forbidden'
/** The inbox's state filter: the unfinished cases (as it opens), one state, or every case. */
export type CaseStateChoice = 'unfinished' | AlarmCaseState | 'all'

/** The codes of the refusals the page can meet; a 401 ends the session instead (sign in again). */
export const bureauRefusalCodes = [
  'bad_request',
  'forbidden',
  'not_found',
  'conflict',
  'unprocessable',
  'rate_limited',
] as const satisfies readonly AppErrorCode[]
type BureauRefusalCode = (typeof bureauRefusalCodes)[number]

type Words<K extends string> = Record<K, string>

export interface BureauText extends StaffPageText, RefusalText<ErrorKind> {
  signOut: string
  viewsLabel: string
  views: Record<View, string>
  roles: Record<'bureau' | 'school', string>
  online: string
  offline: string
  loading: string
  network: string
  refusalCodes: Words<BureauRefusalCode>
  // The fleet
  townLabel: string
  schoolLabel: string
  stateLabel: string
  anyTown: string
  anySchool: string
  anyState: string
  busCount: (shown: number, total: number) => string
  noBuses: string
  legendTitle: string
  states: Words<BusState>
  stateHints: Words<BusState>
  speedLegendTitle: string
  speedBand: (fromKmh: number, toKmh: number | null) => string
  mapLabel: string
  // One bus
  detailHint: string
  closePanel: string
  busTitle: (plate: string) => string
  tripLabel: string
  noTrip: string
  directions: Words<'to_school' | 'from_school'>
  nextCallLabel: string
  lastCall: string
  planned: (time: string) => string
  expected: (time: string) => string
  lateness: (lateS: number | null) => string
  speedLabel: string
  kmh: (speed: number | null) => string
  lastReportLabel: string
  ago: (seconds: number) => string
  never: string
  driverLabel: string
  attendantLabel: string
  pupilsLabel: string
  pupils: (n: number) => string
  deviceTitle: string
  gpsLabel: string
  gps: Words<DeviceHealth['gps']['state']>
  satellites: (n: number) => string
  limiterLabel: string
  limiter: Words<DeviceHealth['limiter']['state']>
  videoLabel: string
  video: Words<DeviceHealth['video']['state']>
  cameras: (channels: number[]) => string
  powerLabel: string
  power: Words<DeviceHealth['power']['state']>
  complianceLabel: string
  compliance: Words<'red' | 'amber' | 'ok'>
  complianceOf: (bus: string, crew: string) => string
  openCasesLabel: string
  dayTitle: string
  tripStates: Words<'upcoming' | 'running' | 'ended'>
  noTripsToday: string
  eventsTitle: string
  noEvents: string
  trackTitle: string
  noTrack: string
  play: string
  pause: string
  trackAt: (time: string, speed: string) => string
  eventDetail: (kind: string, details: Record<string, unknown>) => string
  // Alarms
  /** Event kinds and the terminal's own alarms, worded once for every page (server/core/text/). */
  kinds: Readonly<Record<string, string>>
  terminalAlarms: Readonly<Record<string, string>>
  caseStateLabel: string
  caseStates: Words<CaseStateChoice>
  severityLabel: string
  severities: Words<AlarmSeverity>
  anySeverity: string
  kindLabel: string
  anyKind: string
  noCases: string
  caseTitle: (kind: string, plate: string) => string
  escalated: (level: number) => string
  raisedLabel: string
  stateNow: string
  assignedTo: (who: string) => string
  acknowledgedBy: (who: string) => string
  outcomes: Words<AlarmOutcome>
  closedWith: (outcome: string, text: string) => string
  whereTitle: string
  whereNone: string
  traceTitle: string
  traceNone: string
  traceLimit: (limitKmh: number) => string
  contactsTitle: string
  contactRoles: Readonly<Record<string, string>>
  noContacts: string
  historyTitle: string
  historyActions: Readonly<Record<string, string>>
  notesTitle: string
  noNotes: string
  acknowledge: string
  assign: string
  assigneeLabel: string
  noAssignees: string
  noteLabel: string
  addNote: string
  outcomeLabel: string
  closingTextLabel: string
  closeCase: string
  done: Words<'acknowledged' | 'assigned' | 'noted' | 'closed'>
  newCase: (kind: string, plate: string) => string
}

export const bureauText: Record<Lang, BureauText> = { zh: bureauTextZh, en: bureauTextEn }

/** An event kind in words, or the kind itself where the page has none. */
export function kindText(t: BureauText, kind: string): string {
  return t.kinds[kind] ?? kind
}
