import type { z } from 'zod'
import { AppError } from '../core/errors/app-error.js'

/**
 * Validates one part of a request at the edge. The error names the field the way a caller sees it
 * (`query.from`, `body.stops.2.lat`) and what was expected.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  location: 'query' | 'body' | 'params',
): z.infer<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const field = [location, ...(issue?.path ?? []).map(String)].join('.')
  throw new AppError('bad_request', `${field}: ${issue?.message ?? 'invalid'}`, { field })
}
