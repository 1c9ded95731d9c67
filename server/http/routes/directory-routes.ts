import { Hono } from 'hono'
import { assertAllowed, assertRole } from '../../core/auth/access-policy.js'
import { AppError } from '../../core/errors/app-error.js'
import { createDirectoryQueries } from '../../core/store/directory-queries.js'
import type { ApiDeps } from '../api-deps.js'
import { auditPersonalData } from '../audit-personal-reads.js'
import type { AuthenticatedEnv } from '../authenticate.js'
import { describeOperations } from '../openapi/api-operation.js'
import { readPathId } from '../read-request.js'

export const directoryOperations = describeOperations([
  {
    method: 'get',
    path: '/api/schools',
    summary: 'The schools: all for the bureau, its own for a school',
    callers: ['bureau', 'school'],
    responses: { 200: '`{schools}`' },
  },
  {
    method: 'get',
    path: '/api/schools/:schoolId',
    summary: 'One school',
    callers: ['bureau', 'school'],
    responses: { 200: '`{school}`' },
    errors: ['not_found'],
  },
  {
    method: 'get',
    path: '/api/pupils/:pupilId',
    summary: "One pupil, within the caller's scope; the read is kept in the audit log",
    callers: ['bureau', 'school', 'attendant', 'parent'],
    responses: { 200: '`{pupil}`' },
    errors: ['not_found'],
  },
])

export function schoolRoutes({ db, access }: ApiDeps) {
  const directory = createDirectoryQueries(db)
  return new Hono<AuthenticatedEnv>()
    .get('/', async (c) => {
      const principal = c.get('principal')
      assertRole(principal, ['bureau', 'school'])
      return c.json({
        schools: await directory.listSchools(principal.role === 'school' ? [principal.schoolId] : 'all'),
      })
    })
    .get('/:schoolId', async (c) => {
      const schoolId = readPathId(c, 'schoolId')
      await assertAllowed(access.canSeeSchool(c.get('principal'), schoolId), `school ${schoolId}`)
      const [school] = await directory.listSchools([schoolId])
      if (!school) throw new AppError('not_found', `no school ${schoolId}`)
      return c.json({ school })
    })
}

export function pupilRoutes(deps: ApiDeps) {
  const { db, access } = deps
  const directory = createDirectoryQueries(db)
  return new Hono<AuthenticatedEnv>().get('/:pupilId', async (c) => {
    const pupilId = readPathId(c, 'pupilId')
    await assertAllowed(access.canSeePupil(c.get('principal'), pupilId), `pupil ${pupilId}`)
    const pupil = await directory.getPupil(pupilId)
    if (!pupil) throw new AppError('not_found', `no pupil ${pupilId}`)
    await auditPersonalData(c, deps, { target: `pupil/${pupilId}` })
    return c.json({ pupil })
  })
}
