import { z } from 'zod'
import { registerOfFileName } from '../../core/registers/read-uploaded-registers.js'
import { registerNames, type RegisterName } from '../../core/registers/register-records.js'

export const registerParam = z.object({
  register: z
    .string()
    .describe(`a register: ${registerNames.join(', ')} (or its sheet's name)`)
    .transform((name, ctx) => {
      const register = registerOfFileName(name)
      if (!register) ctx.addIssue({ code: 'custom', message: `expected one of ${registerNames.join(', ')}` })
      return register as RegisterName
    }),
})
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')
export const importQuery = z.object({
  fileName: z.string().min(1).max(200),
  register: z.string().optional(),
  dryRun: flag.default(true),
  remove: flag.default(false),
})
export const listQuery = z.object({
  q: z.string().max(100).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
})
export const changesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  beforeId: z.coerce.number().int().min(1).optional(),
})
export const editBody = z.object({ cells: z.record(z.string(), z.string().max(500).nullable()) })
