import type { Context } from 'hono'
import type { AuditAction } from '../core/auth/audit-log.js'
import type { ApiDeps } from './api-deps.js'
import type { AuthenticatedEnv } from './authenticate.js'
import { requestOrigin } from './request-origin.js'

/** The registers that hold pupils' and guardians' personal data (names, homes, phones). */
export const personalRegisters: ReadonlySet<string> = new Set(['pupils', 'guardians'])

/**
 * Staff who read or take pupils' personal data leave a trace in the audit log: who, what, when and
 * from where (PIPL treats minors' data as sensitive). A parent reading their own child is not
 * logged: that is the data subject's side, not a staff read.
 */
export async function auditPersonalData(
  c: Context<AuthenticatedEnv>,
  deps: Pick<ApiDeps, 'audit' | 'trustProxy'>,
  read: {
    action?: Extract<AuditAction, 'pupil_data_read' | 'export'>
    target: string
    detail?: Record<string, unknown>
  },
): Promise<void> {
  const principal = c.get('principal')
  if (principal.role === 'parent' || principal.role === 'device' || principal.role === 'service') return
  const origin = requestOrigin(c, { trustProxy: deps.trustProxy })
  await deps.audit.record({
    actor: principal.sub,
    actorRole: principal.role,
    action: read.action ?? 'pupil_data_read',
    target: read.target,
    detail: read.detail,
    ip: origin.ip,
    userAgent: origin.userAgent,
  })
}
