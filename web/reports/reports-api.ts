import {
  ApiFailure,
  createApiClient,
  errorBodySchema,
  fetchOrFail,
  readAccessRefusal,
  readRejection,
} from '../shared/api-client.js'
import { fetchPageConfig } from '../shared/page-config.js'
import {
  complianceSchema,
  meSchema,
  reinstatedSchema,
  reportSchema,
  scoreBoardSchema,
  scoreHistorySchema,
  scoreRulesSchema,
  type Grouping,
  type PeriodKind,
  type ScoreSubjectName,
} from './reports-contract.js'

/** A period and a grouping, as the report routes take them. */
export interface ReportQuery {
  period: PeriodKind
  /** `YYYY-MM-DD` for a day, `YYYY-MM` for a month. */
  date: string
  by: Grouping
}

/** A file as the server sent it, with the name it gave. */
export interface DownloadedFile {
  blob: Blob
  fileName: string
}

/** A workbook may take a while to write: a month by every grouping. */
const downloadTimeoutMs = 120_000

/** The name of `content-disposition: attachment; filename="…"`, else `fallback`. */
export function attachmentName(disposition: string | null, fallback: string): string {
  const name = disposition ? /filename="([^"]+)"/.exec(disposition)?.[1] : undefined
  return name && !/[/\\]/.test(name) ? name : fallback
}

export const reportParams = (query: ReportQuery) =>
  new URLSearchParams({ period: query.period, date: query.date, by: query.by })

/**
 * The reports page's calls, each with the staff session in a header. Files are fetched the same way
 * and handed to the browser to save: a token never goes into a link.
 */
export function createReportsApi(options: { token: string }) {
  const client = createApiClient(options)
  return {
    me: async () => (await client.get('/api/me', meSchema)).principal,
    pageConfig: () => fetchPageConfig(client, '/reports/config.json'),
    report: (query: ReportQuery) => client.get(`/api/reports?${reportParams(query)}`, reportSchema),
    compliance: (date: string) =>
      client.get(`/api/compliance?${new URLSearchParams({ date })}`, complianceSchema),
    /** Every driver and company the caller answers for, in today's cycle, highest total first. */
    scores: () => client.get('/api/scores', scoreBoardSchema),
    scoreHistory: (subject: ScoreSubjectName, key: string) =>
      client.get(`/api/scores/${subject}/${encodeURIComponent(key)}`, scoreHistorySchema),
    /** The bureau's only. */
    scoreRules: () => client.get('/api/score-rules', scoreRulesSchema),
    reinstateDriver: (key: string, note: string) =>
      client.post(`/api/scores/driver/${encodeURIComponent(key)}/reinstate`, { note }, reinstatedSchema),
    async download(path: string, fallbackName: string): Promise<DownloadedFile> {
      const response = await fetchOrFail(path, {
        headers: { authorization: `Bearer ${options.token}` },
        signal: AbortSignal.timeout(downloadTimeoutMs),
      })
      if (response.status === 401 || response.status === 403)
        throw readAccessRefusal(response.status, await response.text().catch(() => ''))
      if (!response.ok) {
        const body: unknown = await response.json().catch(() => undefined)
        if (response.status < 500 && errorBodySchema.safeParse(body).success)
          throw readRejection(response.status, body)
        throw new ApiFailure(`${path}: HTTP ${response.status}`)
      }
      return {
        blob: await response.blob(),
        fileName: attachmentName(response.headers.get('content-disposition'), fallbackName),
      }
    },
  }
}

export type ReportsApi = ReturnType<typeof createReportsApi>
