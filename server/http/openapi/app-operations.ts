import { roles } from '../../core/auth/principal.js'
import { describeOperations } from './api-operation.js'

/** The routes create-http-app.ts declares itself. */
export const appOperations = describeOperations([
  {
    method: 'get',
    path: '/health',
    summary: "Whether the platform's parts in this process are up",
    callers: 'anyone',
    responses: { 200: '`{status: "ok", parts}`', 503: '`{status, parts}`: a part is down' },
  },
  {
    method: 'get',
    path: '/api/me',
    summary: 'Who the token says the caller is, with its scope',
    callers: roles,
    responses: { 200: '`{principal}`: role, subject and scope (school, bus or pupils)' },
  },
])
