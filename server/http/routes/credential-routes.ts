import { Hono } from 'hono'
import { z } from 'zod'
import { assertRole } from '../../core/auth/access-policy.js'
import type { Principal } from '../../core/auth/principal.js'
import { listTerminalCredentials, rotateTerminalCredential } from '../../core/auth/terminal-credentials.js'
import { AppError } from '../../core/errors/app-error.js'
import type { ApiDeps } from '../api-deps.js'
import type { AuthenticatedEnv } from '../authenticate.js'
import { describeOperations } from '../openapi/api-operation.js'
import { parseInput } from '../parse-input.js'
import { requestOrigin } from '../request-origin.js'

const busParam = z.object({ busId: z.string().min(1).max(64) })

export const credentialOperations = describeOperations([
  {
    method: 'get',
    path: '/api/terminal-credentials',
    summary: "Which buses' terminals have a credential, and when each was last used",
    callers: ['bureau'],
    responses: { 200: '`{terminals}`' },
  },
  {
    method: 'post',
    path: '/api/terminal-credentials/:busId/rotate',
    summary: "Gives a bus's terminal a new credential, ending the old one",
    description: 'The new password is answered this once and never again.',
    callers: ['bureau'],
    adminOnly: true,
    params: busParam,
    responses: { 200: '`{busId, username, clientId, password, expiresAt}`: the MQTT credential' },
    errors: ['not_found', 'unprocessable'],
  },
])

/**
 * Each bus terminal's credential: the bureau sees which buses have one and when it was last used;
 * an administrator rotates one, and the new password is answered this once. Rotating ends the old
 * credential at once on the embedded broker; Mosquitto refuses it once `npm run broker:config`
 * has written its password file again.
 */
export function credentialRoutes({ db, clock, sessions, audit, trustProxy }: ApiDeps) {
  const assertAdmin = (principal: Principal) => {
    if (principal.role !== 'bureau' || !principal.admin) {
      throw new AppError('forbidden', 'only an administrator of the bureau rotates terminal credentials')
    }
  }
  return new Hono<AuthenticatedEnv>()
    .get('/terminal-credentials', async (c) => {
      assertRole(c.get('principal'), ['bureau'])
      return c.json({ terminals: await listTerminalCredentials(db, clock) })
    })
    .post('/terminal-credentials/:busId/rotate', async (c) => {
      const principal = c.get('principal')
      assertAdmin(principal)
      const { busId } = parseInput(busParam, c.req.param(), 'params')
      const credential = await rotateTerminalCredential({ sessions, db, busId, actor: principal.sub })
      const origin = requestOrigin(c, { trustProxy })
      await audit.record({
        actor: principal.sub,
        actorRole: principal.role,
        action: 'credential_rotated',
        target: busId,
        detail: { expiresAt: credential.expiresAt.toISOString() },
        ip: origin.ip,
        userAgent: origin.userAgent,
      })
      return c.json(credential)
    })
}
