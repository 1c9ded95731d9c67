import type * as z from 'zod/mini'
import {
  AccessRefused,
  ApiFailure,
  fetchOrFail,
  readRejection,
  requestTimeoutMs,
} from '../shared/api-client.js'
import {
  accountChangeSchema,
  accountsSchema,
  auditPageSchema,
  endedSchema,
  meSchema,
  oneTimePasswordSchema,
  rotatedSchema,
  schoolsSchema,
  sessionsSchema,
  terminalsSchema,
  type SessionKind,
} from './access-contract.js'

export interface AccountFields {
  displayName: string
  role: 'bureau' | 'school'
  schoolCode: string | null
  admin: boolean
}

export interface AuditFilter {
  action?: string
  actor?: string
  from?: string
  to?: string
  before?: number
  limit: number
}

/**
 * The access page's calls, each with the staff session in the header. A 401 is the session's end
 * (the page sends the browser to sign in); a 403 or another 4xx is the server refusing this one
 * change, shown beside it.
 */
export function createAccessApi(options: { token: string }) {
  async function request<T>(
    path: string,
    schema: z.ZodMiniType<T>,
    init: { method?: string; body?: unknown } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${options.token}` }
    if (init.body !== undefined) headers['content-type'] = 'application/json'
    const response = await fetchOrFail(path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(requestTimeoutMs),
    })
    const body: unknown = await response.json().catch(() => undefined)
    if (response.status === 401) throw new AccessRefused('unauthenticated', '')
    if (response.status >= 400 && response.status < 500) throw readRejection(response.status, body)
    if (!response.ok) throw new ApiFailure(`${path}: HTTP ${response.status}`)
    const parsed = schema.safeParse(body)
    if (!parsed.success) throw new ApiFailure(`${path}: unexpected answer`)
    return parsed.data
  }

  return {
    me: async () => (await request('/api/me', meSchema)).principal,
    schools: async () => (await request('/api/schools', schoolsSchema)).schools,
    accounts: async () => (await request('/api/accounts', accountsSchema)).accounts,
    createAccount: (fields: AccountFields & { username: string }) =>
      request('/api/accounts', oneTimePasswordSchema, { method: 'POST', body: fields }),
    changeAccount: (id: string, change: Partial<AccountFields> & { disabled?: boolean }) =>
      request(`/api/accounts/${encodeURIComponent(id)}`, accountChangeSchema, {
        method: 'PATCH',
        body: change,
      }),
    resetPassword: (id: string) =>
      request(`/api/accounts/${encodeURIComponent(id)}/reset-password`, oneTimePasswordSchema, {
        method: 'POST',
      }),
    sessions: async (filter: { kind?: SessionKind; includeEnded: boolean }) => {
      const params = new URLSearchParams({ includeEnded: String(filter.includeEnded) })
      if (filter.kind) params.set('kind', filter.kind)
      return (await request(`/api/sessions?${params}`, sessionsSchema)).sessions
    },
    endSession: (id: string, reason: string) =>
      request(`/api/sessions/${encodeURIComponent(id)}`, endedSchema, { method: 'DELETE', body: { reason } }),
    audit: (filter: AuditFilter) => {
      const params = new URLSearchParams({ limit: String(filter.limit) })
      for (const key of ['action', 'actor', 'from', 'to'] as const) {
        const value = filter[key]
        if (value) params.set(key, value)
      }
      if (filter.before !== undefined) params.set('before', String(filter.before))
      return request(`/api/audit?${params}`, auditPageSchema)
    },
    terminals: async () => (await request('/api/terminal-credentials', terminalsSchema)).terminals,
    rotateTerminal: (busId: string) =>
      request(`/api/terminal-credentials/${encodeURIComponent(busId)}/rotate`, rotatedSchema, {
        method: 'POST',
      }),
  }
}

export type AccessApi = ReturnType<typeof createAccessApi>
