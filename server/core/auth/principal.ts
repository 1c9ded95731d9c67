import { z } from 'zod'

export const roles = ['bureau', 'school', 'attendant', 'parent', 'device', 'service'] as const
export type Role = (typeof roles)[number]

/**
 * Who is calling, with the scope their token grants (DESIGN §4). `service` is the platform's own
 * processes (ingest, simulator); no person is given one.
 */
export const principalSchema = z.discriminatedUnion('role', [
  // An administrator of the bureau also manages accounts, sessions and terminal credentials.
  z.object({ role: z.literal('bureau'), sub: z.string().min(1), admin: z.literal(true).optional() }),
  z.object({ role: z.literal('school'), sub: z.string().min(1), schoolId: z.string().min(1) }),
  z.object({ role: z.literal('attendant'), sub: z.string().min(1), busId: z.string().min(1) }),
  z.object({
    role: z.literal('parent'),
    sub: z.string().min(1),
    pupilIds: z.array(z.string().min(1)).min(1),
  }),
  z.object({ role: z.literal('device'), sub: z.string().min(1), busId: z.string().min(1) }),
  z.object({ role: z.literal('service'), sub: z.string().min(1) }),
])

export type Principal = z.infer<typeof principalSchema>
