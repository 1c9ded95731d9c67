import * as z from 'zod/mini'

/** What the access page reads from the API: only the fields it uses. */
const nullableString = z.nullable(z.string())

export const accountSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(['bureau', 'school']),
  schoolId: nullableString,
  admin: z.boolean(),
  mustChangePassword: z.boolean(),
  lockedUntil: nullableString,
  disabledAt: nullableString,
  createdAt: z.string(),
  lastSignInAt: nullableString,
  openSessions: z.number(),
})
export type Account = z.infer<typeof accountSchema>
export const accountsSchema = z.object({ accounts: z.array(accountSchema) })
export const oneTimePasswordSchema = z.object({ account: accountSchema, oneTimePassword: z.string() })
export const accountChangeSchema = z.object({ before: accountSchema, after: accountSchema })

export const sessionKinds = ['staff', 'guardian', 'attendant', 'device', 'issued'] as const
export type SessionKind = (typeof sessionKinds)[number]
export const sessionSchema = z.object({
  id: z.string(),
  kind: z.enum(sessionKinds),
  label: nullableString,
  subject: z.string(),
  subjectName: z.string(),
  owner: nullableString,
  createdAt: z.string(),
  lastUsedAt: z.string(),
  expiresAt: z.string(),
  revokedAt: nullableString,
  revokedBy: nullableString,
  revokeReason: nullableString,
})
export type SessionRow = z.infer<typeof sessionSchema>
export const sessionsSchema = z.object({ sessions: z.array(sessionSchema) })
export const endedSchema = z.object({ ended: z.boolean() })

export const auditEntrySchema = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string(),
  actorRole: nullableString,
  action: z.string(),
  target: nullableString,
  detail: z.record(z.string(), z.unknown()),
  ip: nullableString,
})
export type AuditEntry = z.infer<typeof auditEntrySchema>
export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  nextBefore: z.nullable(z.number()),
})

const optionalText = z.optional(nullableString)
export const terminalSchema = z.object({
  busId: z.string(),
  plate: z.string(),
  terminalNo: optionalText,
  sessionId: optionalText,
  createdAt: optionalText,
  lastUsedAt: optionalText,
  expiresAt: optionalText,
})
export type Terminal = z.infer<typeof terminalSchema>
export const terminalsSchema = z.object({ terminals: z.array(terminalSchema) })
export const rotatedSchema = z.object({
  busId: z.string(),
  username: z.string(),
  clientId: z.string(),
  password: z.string(),
  expiresAt: z.string(),
})
export type RotatedCredential = z.infer<typeof rotatedSchema>

export const schoolsSchema = z.object({
  schools: z.array(z.object({ id: z.string(), nameZh: z.string(), nameEn: z.optional(nullableString) })),
})
export type School = z.infer<typeof schoolsSchema>['schools'][number]

export const meSchema = z.object({
  principal: z.object({
    role: z.string(),
    sub: z.string(),
    admin: z.optional(z.boolean()),
  }),
})
