/**
 * The one error type the server turns into responses (see http/error-handler.ts). Anything else that
 * reaches the handler is a bug and answers 500 without detail.
 */
export type AppErrorCode =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'too_large'
  | 'account_locked'
  | 'rate_limited'
  | 'unavailable'

/**
 * Why, where a code alone is too coarse for a page to word the refusal right: stable and
 * machine-readable like the code, so the pages translate it (web/shared/refusal-text.ts).
 */
export type AppErrorReason =
  // boarding scans and the end of a trip
  | 'unknown_pupil_code'
  | 'pupil_not_on_this_bus'
  | 'trip_not_running'
  | 'stop_not_on_trip'
  | 'scan_of_another_trip'
  | 'already_on_board'
  | 'not_on_board'
  | 'scan_out_of_order'
  | 'time_in_future'
  | 'time_too_old'
  // one-time codes: enrolment letters and phone pairing
  | 'code_unknown'
  | 'code_used'
  | 'code_expired'
  | 'wrong_confirmation'
  | 'too_many_attempts'
  | 'not_an_attendant'
  | 'attendant_without_bus'
  // signing in and passwords
  | 'wrong_credentials'
  | 'account_disabled'
  | 'password_change_required'
  | 'password_too_short'
  | 'password_too_long'
  | 'password_is_username'
  | 'password_unchanged'
  | 'wrong_current_password'
  // staff accounts
  | 'username_format'
  | 'username_taken'
  | 'display_name_required'
  | 'admin_outside_bureau'
  | 'school_code_required'
  | 'unknown_school_code'
  | 'school_for_bureau_account'
  | 'own_account'
  | 'last_administrator'
  // letters to parents, and whom they are for
  | 'too_many_letters'
  | 'empty_selection'
  | 'school_outside_scope'
  // the registers (a school's pupils also in letters)
  | 'record_not_found'
  | 'bureau_register'
  | 'pupil_of_another_school'
  | 'school_import_removal'
  | 'school_csv_export'
  | 'record_still_referenced'
  | 'register_errors'
  | 'not_a_register_file'
  | 'csv_register_unknown'
  | 'file_too_large'
  // the alarm inbox
  | 'alarm_closed'
  | 'alarm_bureau_only'
  | 'assignee_not_eligible'
  // the 12-point score
  | 'no_removal'

const statusByCode: Record<AppErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  account_locked: 423,
  rate_limited: 429,
  unprocessable: 422,
  unavailable: 503,
}

export class AppError extends Error {
  readonly code: AppErrorCode
  readonly status: number
  /** The request field at fault, e.g. `query.from` or `body.stops[2].lat`. */
  readonly field: string | undefined
  /** When asking again may succeed, in whole seconds (a refusal for too many requests). */
  readonly retryAfterS: number | undefined
  /** Which case of `code` this is, where the pages word the cases of one code apart. */
  readonly reason: AppErrorReason | undefined
  /**
   * What the person refused needs to know to act, beside the reason (the plate of the bus a pupil
   * rides instead, the codes no pupil has): plain values the caller may see, never more.
   */
  readonly details: Readonly<Record<string, string | number | readonly string[]>> | undefined

  constructor(
    code: AppErrorCode,
    message: string,
    options: {
      field?: string
      cause?: unknown
      retryAfterS?: number
      reason?: AppErrorReason
      details?: Readonly<Record<string, string | number | readonly string[]>>
    } = {},
  ) {
    super(message, { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.status = statusByCode[code]
    this.field = options.field
    this.retryAfterS = options.retryAfterS
    this.reason = options.reason
    this.details = options.details
  }
}
