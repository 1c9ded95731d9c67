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

  constructor(
    code: AppErrorCode,
    message: string,
    options: { field?: string; cause?: unknown; retryAfterS?: number } = {},
  ) {
    super(message, { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.status = statusByCode[code]
    this.field = options.field
    this.retryAfterS = options.retryAfterS
  }
}
