import { HTTPException } from 'hono/http-exception'
import { GeoError, type GeoErrorCode } from '../../geo/geo-error.js'
import { AppError } from '../core/errors/app-error.js'
import type { Logger } from '../core/log/logger.js'

export interface ErrorBody {
  error: {
    code: string
    message: string
    field?: string
    reason?: string
    details?: Readonly<Record<string, unknown>>
  }
}

const geoStatus: Record<GeoErrorCode, number> = {
  invalid_input: 400,
  outside_network: 422,
  no_route: 422,
  too_large: 413,
  router_unavailable: 503,
  cancelled: 409,
}

export interface ErrorResponse {
  status: number
  body: ErrorBody
  headers?: Record<string, string>
}

/** The one place an error becomes a response. Unknown errors are logged and answer a bare 500. */
export function toErrorResponse(error: unknown, log: Logger): ErrorResponse {
  if (error instanceof AppError) {
    const body = bodyOf(error.code, error.message, error.field, error.reason, error.details)
    if (error.retryAfterS === undefined) return { status: error.status, body }
    return { status: error.status, body, headers: { 'Retry-After': String(error.retryAfterS) } }
  }
  if (error instanceof GeoError) {
    return { status: geoStatus[error.code], body: bodyOf(error.code, error.message, error.field) }
  }
  if (error instanceof HTTPException && error.status < 500) {
    return { status: error.status, body: bodyOf('bad_request', error.message || 'bad request') }
  }
  log.error('unhandled error', {
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  })
  return { status: 500, body: bodyOf('internal', 'internal error') }
}

function bodyOf(
  code: string,
  message: string,
  field?: string,
  reason?: string,
  details?: Readonly<Record<string, unknown>>,
): ErrorBody {
  return {
    error: {
      code,
      message,
      ...(field === undefined ? {} : { field }),
      ...(reason === undefined ? {} : { reason }),
      ...(details === undefined ? {} : { details }),
    },
  }
}
