import type { AuditAction } from '../../server/core/auth/audit-log.js'
import type { AppErrorCode, AppErrorReason } from '../../server/core/errors/app-error.js'
import type { Lang } from '../shared/language.js'
import type { RefusalText, StaffPageText } from '../shared/staff-page.js'
import type { SessionKind } from './access-contract.js'
import { accessTextEn } from './access-text-en.js'
import { accessTextZh } from './access-text-zh.js'

export type View = 'accounts' | 'sessions' | 'audit' | 'terminals'
export type ErrorKind = 'forbidden'

export interface AccessText extends StaffPageText, RefusalText<ErrorKind> {
  signOut: string
  viewsLabel: string
  views: Record<View, string>
  roles: Record<'bureau' | 'school', string>
  admin: string
  loading: string
  cancel: string
  close: string
  save: string
  loadMore: string
  /** Why the server refused a change of accounts, sessions or terminals, by reason and by code. */
  refusals: {
    reasons: Record<AccessRefusalReason, string>
    codes: Record<AccessRefusalCode, string>
  }
  network: string
  // Accounts
  accountsHeading: string
  addAccount: string
  accountHeaders: {
    username: string
    name: string
    role: string
    school: string
    state: string
    lastSignIn: string
    actions: string
  }
  noAccounts: string
  states: { active: string; disabled: string; mustChange: string; locked: (until: string) => string }
  openSessions: (n: number) => string
  edit: string
  resetPassword: string
  disable: string
  enable: string
  newAccountTitle: string
  editAccountTitle: (username: string) => string
  usernameLabel: string
  usernameHint: string
  displayNameLabel: string
  roleLabel: string
  schoolLabel: string
  adminLabel: string
  adminHint: string
  created: (username: string) => string
  changed: (username: string) => string
  resetTitle: (username: string) => string
  resetWarning: string
  disableTitle: (username: string) => string
  disableWarning: string
  enabled: (username: string) => string
  disabled: (username: string) => string
  oneTimeTitle: (username: string) => string
  oneTimeNote: string
  never: string
  // Sessions
  sessionsHeading: string
  kindLabel: string
  allKinds: string
  kinds: Record<SessionKind, string>
  includeEnded: string
  sessionHeaders: {
    kind: string
    holder: string
    device: string
    created: string
    lastUsed: string
    expires: string
    state: string
    actions: string
  }
  noSessions: string
  sessionOpen: string
  sessionEnded: (by: string, reason: string) => string
  end: string
  endTitle: (holder: string) => string
  endWarning: string
  reasonLabel: string
  ended: string
  // Audit
  auditHeading: string
  actionLabel: string
  allActions: string
  actions: Record<AuditAction, string>
  actorLabel: string
  fromLabel: string
  toLabel: string
  filter: string
  auditHeaders: { at: string; actor: string; action: string; target: string; detail: string; ip: string }
  noEntries: string
  // Terminals
  terminalsHeading: string
  terminalsNote: string
  terminalsMissing: string
  terminalHeaders: {
    plate: string
    terminalNo: string
    created: string
    lastUsed: string
    expires: string
    actions: string
  }
  noTerminals: string
  noCredential: string
  rotate: string
  rotateTitle: (plate: string) => string
  rotateWarning: string
  rotatedTitle: (plate: string) => string
  rotatedNote: string
  credentialFields: { username: string; clientId: string; password: string; expiresAt: string }
  confirm: string
  errorAdvice: Record<ErrorKind, string>
}

/** The reasons the server gives when it refuses a change of accounts (administer-accounts.ts). */
export const accessRefusalReasons = [
  'username_format',
  'username_taken',
  'display_name_required',
  'admin_outside_bureau',
  'school_code_required',
  'unknown_school_code',
  'school_for_bureau_account',
  'own_account',
  'last_administrator',
] as const satisfies readonly AppErrorReason[]
type AccessRefusalReason = (typeof accessRefusalReasons)[number]

/** The codes of the refusals the page can meet; a 401 ends the session instead (sign in again). */
export const accessRefusalCodes = [
  'bad_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'unprocessable',
  'rate_limited',
  'account_locked',
] as const satisfies readonly AppErrorCode[]
type AccessRefusalCode = (typeof accessRefusalCodes)[number]

export const accessText: Record<Lang, AccessText> = { zh: accessTextZh, en: accessTextEn }
