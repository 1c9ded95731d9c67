import {
  AccessRefused,
  ApiFailure,
  createApiClient,
  errorBodySchema,
  fetchOrFail,
  readRejection,
} from '../shared/api-client.js'
import {
  changesSchema,
  meSchema,
  recordsSchema,
  reportAnswerSchema,
  sheetsOf,
  sheetsSchema,
  type ImportReport,
} from './registers-contract.js'

/** An upload of a county's workbook may take a while to check. */
const writeTimeoutMs = 120_000

/** What a write answered: the import report, applied or refused with its problems and the reason. */
export interface WriteAnswer {
  ok: boolean
  report: ImportReport
  /** Why a refused write was refused (`record_still_referenced`, `register_errors`…), where the server says. */
  reason: string | null
}

export interface ImportRequest {
  file: Blob
  fileName: string
  dryRun: boolean
  remove: boolean
  /** The register a CSV holds, when its file name does not say. */
  register?: string
}

/**
 * The registers page's calls. Reads go through the pages' client; writes answer the import report
 * whether it was applied (200) or refused with problems (422). A 403 to a write is the server
 * refusing that one change (a school's file holding buses, say), shown beside it, not the page.
 */
export function createRegistersApi(options: { token: string }) {
  const client = createApiClient(options)
  const auth = { authorization: `Bearer ${options.token}` }

  async function write(
    path: string,
    init: { method: 'PUT' | 'DELETE' | 'POST'; body?: BodyInit; type?: string },
  ): Promise<WriteAnswer> {
    const response = await fetchOrFail(path, {
      method: init.method,
      headers: init.type ? { ...auth, 'content-type': init.type } : auth,
      body: init.body,
      signal: AbortSignal.timeout(writeTimeoutMs),
    })
    const body: unknown = await response.json().catch(() => undefined)
    if (response.status === 401) throw new AccessRefused('unauthenticated', '')
    if (response.ok || response.status === 422) {
      const answer = reportAnswerSchema.safeParse(body)
      if (answer.success) {
        const reason = response.ok ? null : (readRejection(response.status, body).reason ?? null)
        return { ok: response.ok && answer.data.report.applied, report: answer.data.report, reason }
      }
    }
    if (response.status >= 400 && response.status < 500) throw readRejection(response.status, body)
    throw new ApiFailure(`${path}: HTTP ${response.status}`)
  }

  return {
    me: async () => (await client.get('/api/me', meSchema)).principal,
    sheets: async () => sheetsOf(await client.get('/api/registers', sheetsSchema)),
    records: (register: string, query: { q: string; offset: number; limit: number }) => {
      const params = new URLSearchParams({ offset: String(query.offset), limit: String(query.limit) })
      if (query.q) params.set('q', query.q)
      return client.get(`/api/registers/${encodeURIComponent(register)}?${params}`, recordsSchema)
    },
    changes: async (query: { limit: number; beforeId?: number }) => {
      const params = new URLSearchParams({ limit: String(query.limit) })
      if (query.beforeId !== undefined) params.set('beforeId', String(query.beforeId))
      return (await client.get(`/api/registers/changes?${params}`, changesSchema)).changes
    },
    /** One record as typed on the page: a one-row import. */
    saveRecord: (register: string, cells: Record<string, string | null>) =>
      write(`/api/registers/${encodeURIComponent(register)}/records`, {
        method: 'PUT',
        body: JSON.stringify({ cells }),
        type: 'application/json',
      }),
    removeRecord: (register: string, key: string) =>
      write(`/api/registers/${encodeURIComponent(register)}/records/${encodeURIComponent(key)}`, {
        method: 'DELETE',
      }),
    importFile: (request: ImportRequest) => {
      const params = new URLSearchParams({
        fileName: request.fileName,
        dryRun: String(request.dryRun),
        remove: String(request.remove),
      })
      if (request.register) params.set('register', request.register)
      return write(`/api/registers/import?${params}`, {
        method: 'POST',
        body: request.file,
        type: 'application/octet-stream',
      })
    },
    /** A file, fetched with the token in the header; the page then hands it to the browser to save. */
    async download(path: string): Promise<Blob> {
      const response = await fetchOrFail(path, { headers: auth })
      if (response.status === 401) throw new AccessRefused('unauthenticated', '')
      if (!response.ok) {
        const body: unknown = await response.json().catch(() => undefined)
        if (errorBodySchema.safeParse(body).success) throw readRejection(response.status, body)
        throw new ApiFailure(`${path}: HTTP ${response.status}`)
      }
      return response.blob()
    },
  }
}

export type RegistersApi = ReturnType<typeof createRegistersApi>
