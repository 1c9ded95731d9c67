import { z } from 'zod'

/**
 * The shapes every route takes its times, days and ids in. The store cannot hold a year 0 (PostgreSQL
 * has none) and no school bus ran before 2000 or will in a century, so such a time is refused here,
 * naming the field, instead of failing in the store.
 */
const earliestMs = Date.parse('2000-01-01T00:00:00Z')
const latestMs = Date.parse('2100-01-01T00:00:00Z')
const withinService = (ms: number) => ms >= earliestMs && ms < latestMs
const serviceYears = 'expected a time from 2000 to 2099'

/** A moment, as an ISO-8601 time with its offset. */
export const instantSchema = z.iso
  .datetime({ offset: true, message: 'expected an ISO-8601 time with offset' })
  .refine((text) => withinService(Date.parse(text)), { message: serviceYears })

/** A service day, `YYYY-MM-DD`. */
export const serviceDateSchema = z.iso
  .date({ message: 'expected a date YYYY-MM-DD' })
  .refine((text) => withinService(Date.parse(`${text}T00:00:00Z`)), { message: serviceYears })

/**
 * A bus, trip, pupil, school, stop or event kind as the caller names it. PostgreSQL refuses a NUL in
 * text, and no id of ours carries control characters or runs long.
 */
export const idSchema = z
  .string()
  .min(1)
  .max(128)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/, { message: 'must not contain control characters' })
