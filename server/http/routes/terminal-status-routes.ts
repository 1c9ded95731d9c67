import { Hono } from 'hono'
import { assertRole } from '../../core/auth/access-policy.js'
import { createTerminalStatusQueries } from '../../core/store/terminal-status-queries.js'
import type { ApiDeps } from '../api-deps.js'
import type { AuthenticatedEnv } from '../authenticate.js'
import { describeOperations } from '../openapi/api-operation.js'

export const terminalStatusOperations = describeOperations([
  {
    method: 'get',
    path: '/api/terminals/status',
    summary: 'The terminals of the buses the caller may see: last report, own status, open alarms',
    callers: ['bureau', 'school'],
    responses: { 200: '`{terminals}`' },
  },
])

/**
 * The buses' terminals for the bureau and the schools: last report, the terminal's own status
 * (alarms set, doors, odometer, satellites, signal, video recorder health) and the alarms still
 * open. Not for parents and attendants: it is the fleet's equipment, not a ride.
 */
export function terminalStatusRoutes({ db, access, clock }: ApiDeps) {
  const queries = createTerminalStatusQueries(db)
  return new Hono<AuthenticatedEnv>().get('/terminals/status', async (c) => {
    const principal = c.get('principal')
    assertRole(principal, ['bureau', 'school'])
    const terminals = await queries.listTerminalHealth(await access.visibleBusIds(principal), clock.now())
    return c.json({ terminals })
  })
}
