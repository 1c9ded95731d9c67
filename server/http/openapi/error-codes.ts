import { GeoError, type GeoErrorCode } from '../../../geo/geo-error.js'
import { AppError, type AppErrorCode } from '../../core/errors/app-error.js'
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

const silent = createLogger({ level: 'silent' })

/** The status a code answers with, as the one error handler (error-response.ts) gives it. */
export function statusOfErrorCode(code: ErrorCode): number {
  const error =
    code in appErrorMeanings
      ? new AppError(code as AppErrorCode, code)
      : new GeoError(code as GeoErrorCode, code)
  return toErrorResponse(error, silent).status
}
