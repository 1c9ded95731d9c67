import type { RegisterProblemCode } from '../../server/core/registers/register-problem.js'
import type { AppErrorCode, AppErrorReason } from '../../server/core/errors/app-error.js'
import type { Lang } from '../shared/language.js'
import type { RefusalText, StaffPageText } from '../shared/staff-page.js'
import type { ChangeAction } from './registers-contract.js'
import { registersTextEn } from './registers-text-en.js'
import { registersTextZh } from './registers-text-zh.js'

export type ErrorKind = 'no_token' | 'unauthenticated' | 'forbidden'
export type View = 'records' | 'import' | 'downloads' | 'changes'
export type CountKey = 'inserted' | 'updated' | 'unchanged' | 'removed'
/** Besides the server's error codes: an answer it could not give, or we could not read. */
export type FailureCode = AppErrorCode | 'internal' | 'http_error' | 'network'

/** The reasons the registers' routes refuse with (server/http/routes/register-*.ts), each worded apart. */
export const registersRefusalReasons = [
  'record_not_found',
  'bureau_register',
  'pupil_of_another_school',
  'school_import_removal',
  'school_csv_export',
  'record_still_referenced',
  'register_errors',
  'not_a_register_file',
  'csv_register_unknown',
  'file_too_large',
] as const satisfies readonly AppErrorReason[]
export type RegistersRefusalReason = (typeof registersRefusalReasons)[number]

export interface RegistersText extends StaffPageText, RefusalText<ErrorKind> {
  lettersLink: string
  signOut: string
  views: Record<View, string>
  roles: Record<'bureau' | 'school', string>
  viewsLabel: string
  registers: string
  search: string
  searchPlaceholder: string
  pageOf: (from: number, to: number, total: number) => string
  previous: string
  next: string
  noRecords: string
  loading: string
  add: string
  edit: string
  remove: string
  actions: string
  personal: string
  personalNote: string
  formAdd: (sheet: string) => string
  formEdit: (sheet: string, key: string) => string
  save: string
  cancel: string
  close: string
  saving: string
  saved: (sheet: string, key: string) => string
  required: string
  keyLocked: string
  formRefused: string
  expected: (what: string) => string
  removeTitle: (sheet: string, key: string) => string
  removeWarning: string
  removing: string
  removed: (sheet: string, key: string) => string
  removeRefused: string
  severity: Record<'error' | 'warning', string>
  problemCodes: Record<RegisterProblemCode, string>
  problemHeaders: {
    severity: string
    sheet: string
    row: string
    column: string
    value: string
    message: string
  }
  failures: Record<FailureCode, string>
  /** What the server refused, by its reason: said before the words of its code. */
  refusals: Record<RegistersRefusalReason, string>
  importHeading: string
  importIntro: string
  chooseFile: string
  csvRegister: string
  csvByName: string
  csvInferred: (sheet: string) => string
  csvNotInferred: string
  wrongFileType: string
  removeOption: string
  removeOptionWarning: string
  check: string
  checking: string
  apply: string
  applying: string
  checked: (errors: number, warnings: number) => string
  applyBlocked: string
  applyReady: string
  applied: string
  notApplied: (errors: number) => string
  countsHeading: string
  counts: Record<CountKey, string>
  register: string
  noCounts: string
  problemsHeading: (shown: number, total: number) => string
  downloadsHeading: string
  template: string
  templateNote: string
  workbook: string
  workbookSchool: string
  csvHeading: string
  loggedNote: string
  downloading: string
  changesHeading: string
  changeHeaders: { at: string; actor: string; action: string; register: string; key: string; summary: string }
  changeActions: Record<ChangeAction, string>
  loadMore: string
  noChanges: string
  allRegisters: string
  personalData: string
  newRecord: string
  unchangedRecord: string
  nothingChanged: string
  countsPart: (sheet: string, counts: Partial<Record<CountKey, number>>) => string
  removeAll: string
  errorAdvice: Record<ErrorKind, string>
}

export const registersText: Record<Lang, RegistersText> = { zh: registersTextZh, en: registersTextEn }
