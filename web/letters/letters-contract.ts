import * as z from 'zod/mini'

export const meSchema = z.object({
  principal: z.object({ role: z.string(), sub: z.string(), schoolId: z.optional(z.string()) }),
})

export const schoolsSchema = z.object({
  schools: z.array(z.object({ id: z.string(), nameZh: z.string(), nameEn: z.nullable(z.string()) })),
})
export type School = z.infer<typeof schoolsSchema>['schools'][number]

const letterSchema = z.object({
  pupilCode: z.string(),
  pupilName: z.string(),
  schoolName: z.string(),
  schoolNameEn: z.nullable(z.string()),
  className: z.optional(z.string()),
  guardianName: z.string(),
  relation: z.nullable(z.string()),
  phoneMasked: z.string(),
  code: z.string(),
  link: z.string(),
  qrSvg: z.string(),
  expiresAt: z.string(),
})
export type Letter = z.infer<typeof letterSchema>

export const lettersSchema = z.object({
  letters: z.array(letterSchema),
  withoutPhone: z.array(z.object({ pupilCode: z.string(), pupilName: z.string(), guardianName: z.string() })),
})
export type LetterBatch = z.infer<typeof lettersSchema>

const statusRowSchema = z.object({
  pupilCode: z.string(),
  pupilName: z.string(),
  guardianName: z.string(),
  relation: z.nullable(z.string()),
  phoneMasked: z.nullable(z.string()),
  enrolledPhones: z.number(),
  letterExpiresAt: z.nullable(z.string()),
})
export type StatusRow = z.infer<typeof statusRowSchema>
export const statusSchema = z.object({ status: z.array(statusRowSchema) })
