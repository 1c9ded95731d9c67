import { GeoError, type GeoErrorCode } from '../../../geo/geo-error.js'
import { AppError, type AppErrorCode, type AppErrorReason } from '../../core/errors/app-error.js'
import { createLogger } from '../../core/log/logger.js'
import { toErrorResponse } from '../error-response.js'
import type { ErrorCode } from './api-operation.js'

/** What each refusal of the server tells a caller; the pages translate the same codes. */
const appErrorMeanings: Record<AppErrorCode, string> = {
  bad_request: 'the request is malformed: `field` names the part at fault, e.g. `query.from`',
  unauthenticated: 'no token, or one that is altered, expired or ended',
  forbidden: "the token's role or scope does not cover this",
  not_found: 'nothing by that id',
  conflict: 'the record is not in a state that allows this',
  unprocessable: 'well formed, but the registers or the rules refuse it',
  too_large: 'the request asks for or sends too much',
  account_locked: 'too many wrong passwords: the account is locked for a while',
  rate_limited: 'too many requests from this address: `Retry-After` says when to ask again',
  unavailable: 'a part this needs is not running or not reachable now',
}

/** The planner's and router's refusals, which reach a caller through the same handler. */
const geoErrorMeanings: Record<GeoErrorCode, string> = {
  invalid_input: 'the planner refused its input',
  outside_network: 'a place lies too far from any road',
  no_route: 'no road joins two places',
  too_large: 'the request asks for or sends too much',
  router_unavailable: 'the routing engine did not answer',
  cancelled: 'the computation was cancelled',
}

/** Every code an error body may carry, with what it means. */
export const errorMeanings: Record<ErrorCode | 'internal', string> = {
  ...appErrorMeanings,
  ...geoErrorMeanings,
  internal: 'a fault of the server, logged there; the message says no more',
}

/** Which case of its code a refusal is, where the pages word the cases apart; with the code it answers. */
export const reasonMeanings: Record<AppErrorReason, string> = {
  unknown_pupil_code:
    '`unprocessable` (a scan) or `not_found` (letters): no pupil in the registers has the scanned ' +
    'or typed code; letters name the codes in `details.pupilCodes`',
  pupil_not_on_this_bus:
    "`unprocessable`: the pupil is in the registers but rides another bus, not this trip's; " +
    '`details.busPlate` is the plate of the bus the pupil rides that day, where there is one',
  trip_not_running: '`unprocessable`: the trip does not run on the day of the scan',
  stop_not_on_trip: '`unprocessable`: the stop named is not on this trip',
  scan_of_another_trip: '`conflict`: the scan id was recorded on another trip',
  already_on_board: '`conflict`: the pupil is already marked on board',
  not_on_board: '`conflict`: the pupil gets off but was never marked on board',
  scan_out_of_order: "`conflict`: the scan is older than the pupil's last one",
  time_in_future: "`bad_request`: the phone's time is ahead of the server's",
  time_too_old: '`bad_request`: the time is more than a day old',
  code_unknown: '`unauthenticated`: the one-time code is not known or no longer valid',
  code_used: '`unauthenticated`: the one-time code has been used already',
  code_expired: '`unauthenticated`: the one-time code has expired',
  wrong_confirmation: "`unauthenticated`: the last four digits do not match the guardian's phone",
  too_many_attempts: '`unauthenticated`: too many wrong attempts ended the one-time code',
  not_an_attendant: '`unprocessable`: only an attendant pairs a phone',
  attendant_without_bus: '`unprocessable`: the registers give the attendant no bus',
  wrong_credentials: '`unauthenticated`: wrong username or password',
  account_disabled: '`forbidden`: the account is disabled',
  password_change_required: '`conflict`: a one-time password must be replaced by a new one',
  password_too_short: '`bad_request`: the new password is too short',
  password_too_long: '`bad_request`: the new password is too long',
  password_is_username: '`bad_request`: the new password is the username',
  password_unchanged: '`bad_request`: the new password is the current one',
  wrong_current_password: '`bad_request`: the current password is wrong',
  username_format: '`bad_request`: a username is 2 to 64 letters, digits, dots, dashes or underscores',
  username_taken: '`conflict`: another account has this username',
  display_name_required: '`bad_request`: an account needs a display name',
  admin_outside_bureau: '`bad_request`: only a bureau account can be an administrator',
  school_code_required: "`bad_request`: a school account needs its school's code",
  unknown_school_code: '`bad_request` (an account) or `not_found` (letters): no school has this code',
  school_for_bureau_account: '`bad_request`: a bureau account belongs to no school',
  own_account: '`conflict`: an administrator cannot disable their own account',
  last_administrator: '`conflict`: the last active administrator cannot stop being one',
  too_many_letters: '`too_large`: more letters than one request makes',
  empty_selection: '`bad_request`: letters need a school or some pupils, and neither was chosen',
  school_outside_scope: "`forbidden`: a school asked for another school's letters",
  record_not_found: '`not_found`: the register has no record with this key',
  bureau_register:
    "`forbidden`: the register (or a sheet of the file) is the bureau's: a school keeps only its pupils",
  pupil_of_another_school:
    "`forbidden`: a pupil of another school than the caller's, or than the one chosen; " +
    'letters name the codes in `details.pupilCodes`',
  school_import_removal: '`forbidden`: a school removes its pupils one at a time, never by importing a file',
  school_csv_export: '`forbidden`: a school exports its pupils as a workbook, not as CSV',
  record_still_referenced:
    '`unprocessable`: the record is still referred to by others (listed in `report.problems`); nothing removed',
  register_errors:
    '`unprocessable`: the records to write have errors (listed in `report.problems`); nothing written',
  not_a_register_file:
    '`unprocessable`: the file is not an Excel workbook (.xlsx) or a CSV file that can be read',
  csv_register_unknown:
    "`bad_request`: neither `register` nor the CSV file's name says which register it holds",
  file_too_large: '`too_large`: the file is larger than an import takes',
  alarm_closed: '`conflict`: the alarm case is closed and takes nothing more',
  alarm_bureau_only: '`forbidden`: a school reads a critical alarm case, but the bureau works it',
  assignee_not_eligible:
    '`unprocessable`: the assignee is no active staff account, or one of a school the case does not concern, ' +
    'or a school account for a critical case',
  no_removal:
    '`not_found`: no removal from school-bus duty stands for the driver: never removed, already ' +
    'reinstated, or removed in a cycle that has ended',
}

const silent = createLogger({ level: 'silent' })

/** The status a code answers with, as the one error handler (error-response.ts) gives it. */
export function statusOfErrorCode(code: ErrorCode): number {
  const error =
    code in appErrorMeanings
      ? new AppError(code as AppErrorCode, code)
      : new GeoError(code as GeoErrorCode, code)
  return toErrorResponse(error, silent).status
}
