import type { z } from 'zod'
import type { GeoErrorCode } from '../../../geo/geo-error.js'
import type { Role } from '../../core/auth/principal.js'
import type { AppErrorCode } from '../../core/errors/app-error.js'

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete'

/** What an error body's `code` may say: the server's own refusals and the planner's. */
export type ErrorCode = AppErrorCode | GeoErrorCode

/** A successful answer: JSON unless `type` names another media type (a file, a feed). */
export type SuccessResponse = string | { description: string; type: string }

/** A file sent as the request's body, read as bytes (an uploaded workbook). */
export interface UploadBody {
  types: readonly string[]
  description: string
}

/**
 * One route as other systems see it, declared beside the schemas the route parses with, so that
 * its description is made from those very schemas. openapi.test.ts walks the app's routes and fails
 * on one without its description, or a description without its route.
 */
export interface ApiOperation {
  method: HttpMethod
  /** The path as the app routes it, parameters and all: `/api/buses/:busId`. */
  path: string
  summary: string
  description?: string
  /** Whose tokens it takes; `anyone` needs none. */
  callers: readonly Role[] | 'anyone'
  /** Among the bureau's tokens, only an administrator's. */
  adminOnly?: boolean
  /** The path's parameters as the route parses them; without it each is an id (readPathId). */
  params?: z.ZodType
  query?: z.ZodType
  body?: z.ZodType | UploadBody
  /** By status. */
  responses: Partial<Record<number, SuccessResponse>>
  /**
   * Refusals beyond those its kind always may give: a token route a missing or expired token
   * (unauthenticated) and, unless every role may call it, another role's (forbidden); a route with
   * input a bad one (bad_request); a route with a body one too large (too_large).
   */
  errors?: readonly ErrorCode[]
}

/** Each route file's list of its operations, checked against the type at its declaration. */
export const describeOperations = (operations: ApiOperation[]): readonly ApiOperation[] => operations
