import { Hono } from 'hono'
import type { Context } from 'hono'
import { z } from 'zod'
import { assertRole } from '../../core/auth/access-policy.js'
import type { Principal } from '../../core/auth/principal.js'
import { AppError } from '../../core/errors/app-error.js'
import { buildReport, type ReportScope } from '../../core/reports/build-report.js'
import { reportPeriod, reportPeriodKinds } from '../../core/reports/report-period.js'
import { reportGroupings, type ReportGrouping } from '../../core/reports/roll-up-report.js'
import { writeReportCsv, writeReportWorkbook } from '../../core/reports/write-report-files.js'
import { createReportDayQueries } from '../../core/store/report-day-queries.js'
import type { ApiDeps } from '../api-deps.js'
import { auditPersonalData } from '../audit-personal-reads.js'
import type { AuthenticatedEnv } from '../authenticate.js'
import { describeOperations } from '../openapi/api-operation.js'
import { parseInput } from '../parse-input.js'

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const csvType = 'text/csv; charset=utf-8'

/** A school's report covers its trips and the buses serving it: never a town's or the county's. */
const schoolGroupings: readonly ReportGrouping[] = ['bus', 'driver', 'school']

const periodFields = {
  period: z.enum(reportPeriodKinds).describe('a service day, or a calendar month of them'),
  date: z
    .string()
    .max(10)
    .describe('`YYYY-MM-DD` for a day, `YYYY-MM` for a month (Asia/Shanghai service dates)'),
}
const byField = z
  .enum(reportGroupings)
  .describe('a row per bus, driver, school or town, or one for the county')

const reportQuery = z.object({
  ...periodFields,
  by: byField
    .optional()
    .describe("a grouping; without it, the county for the bureau and the school's own row for a school"),
})
const csvQuery = z.object({ ...periodFields, by: byField })
const workbookQuery = z.object({
  ...periodFields,
  by: byField
    .optional()
    .describe('one sheet of this grouping; without it, a sheet for each the caller may see'),
})

const reportAnswer =
  '`{period, by, columns, rows, totals}`: `columns` name each key of a row in Chinese and English, with its ' +
  'unit and, for the breakdowns by road class, route violation and alarm kind, its `group`'

export const reportOperations = describeOperations([
  {
    method: 'get',
    path: '/api/reports',
    summary: 'A daily or monthly oversight report, by bus, driver, school, town or the county',
    description:
      'Trips run, on-time calls at the school gate, km and moving time, over-speed by road class, limiter-off ' +
      'and silent minutes, route violations, alarms by kind with their times to acknowledge and close, and ' +
      'pupils carried; read from the daily aggregates. A school sees its own trips and the buses serving it.',
    callers: ['bureau', 'school'],
    query: reportQuery,
    responses: { 200: reportAnswer },
  },
  {
    method: 'get',
    path: '/api/reports.xlsx',
    summary: 'The report as a workbook: a sheet per grouping, headers in Chinese and English',
    description: 'Every download is kept in the audit log.',
    callers: ['bureau', 'school'],
    query: workbookQuery,
    responses: { 200: { description: 'the workbook', type: xlsxType } },
  },
  {
    method: 'get',
    path: '/api/reports.csv',
    summary: 'One grouping of the report as CSV (UTF-8 with a byte-order mark)',
    description: 'Every download is kept in the audit log.',
    callers: ['bureau', 'school'],
    query: csvQuery,
    responses: { 200: { description: 'the report', type: csvType } },
  },
])

/** The oversight reports, from the daily aggregates: as JSON for a page's tables and charts, and as files. */
export function reportRoutes(deps: ApiDeps) {
  const { db, access, clock } = deps
  const queries = createReportDayQueries(db)

  const periodOf = (query: { period: 'day' | 'month'; date: string }) => {
    const period = reportPeriod(query.period, query.date)
    const year = Number(query.date.slice(0, 4))
    if (!period || year < 2000 || year > 2099) {
      throw new AppError(
        'bad_request',
        `query.date: expected ${query.period === 'day' ? 'a date YYYY-MM-DD' : 'a month YYYY-MM'} from 2000 to 2099`,
        { field: 'query.date' },
      )
    }
    return period
  }

  /** What the caller may see: the bureau everything, a school its own groupings. */
  const scopeOf = async (
    principal: Principal,
    groupings: readonly ReportGrouping[],
  ): Promise<ReportScope> => {
    assertRole(principal, ['bureau', 'school'])
    if (principal.role !== 'school') return { kind: 'all' }
    const refused = groupings.find((by) => !schoolGroupings.includes(by))
    if (refused) {
      throw new AppError(
        'forbidden',
        `a school's reports are by ${schoolGroupings.join(', ')}, not by ${refused}`,
        { field: 'query.by' },
      )
    }
    const busIds = await access.visibleBusIds(principal)
    return { kind: 'school', schoolId: principal.schoolId, busIds: busIds === 'all' ? [] : busIds }
  }

  const audited = async (c: Context<AuthenticatedEnv>, target: string, detail: Record<string, unknown>) => {
    const principal = c.get('principal')
    await auditPersonalData(c, deps, {
      action: 'export',
      target,
      detail: { ...detail, schoolId: principal.role === 'school' ? principal.schoolId : null },
    })
  }

  return new Hono<AuthenticatedEnv>()
    .get('/reports', async (c) => {
      const principal = c.get('principal')
      assertRole(principal, ['bureau', 'school'])
      const query = parseInput(reportQuery, c.req.query(), 'query')
      const period = periodOf(query)
      const by = query.by ?? (principal.role === 'school' ? 'school' : 'county')
      const scope = await scopeOf(principal, [by])
      return c.json(await buildReport(queries, { period, by, scope }))
    })
    .get('/reports.xlsx', async (c) => {
      assertRole(c.get('principal'), ['bureau', 'school'])
      const query = parseInput(workbookQuery, c.req.query(), 'query')
      const period = periodOf(query)
      const principal = c.get('principal')
      const groupings = query.by
        ? [query.by]
        : principal.role === 'school'
          ? schoolGroupings
          : reportGroupings
      const scope = await scopeOf(principal, groupings)
      const reports = []
      for (const by of groupings) reports.push(await buildReport(queries, { period, by, scope }))
      const bytes = await writeReportWorkbook(reports, clock.now())
      await audited(c, 'reports.xlsx', { period: period.kind, date: period.date, by: groupings })
      return download(c, bytes, `report-${period.date}.xlsx`, xlsxType)
    })
    .get('/reports.csv', async (c) => {
      assertRole(c.get('principal'), ['bureau', 'school'])
      const query = parseInput(csvQuery, c.req.query(), 'query')
      const period = periodOf(query)
      const scope = await scopeOf(c.get('principal'), [query.by])
      const report = await buildReport(queries, { period, by: query.by, scope })
      await audited(c, 'reports.csv', { period: period.kind, date: period.date, by: [query.by] })
      return download(c, writeReportCsv(report), `report-${period.date}-by-${query.by}.csv`, csvType)
    })
}

function download(c: Context, body: Uint8Array | string, fileName: string, type: string) {
  c.header('content-type', type)
  c.header('content-disposition', `attachment; filename="${fileName}"`)
  c.header('cache-control', 'no-store')
  return c.body(typeof body === 'string' ? body : new Uint8Array(body))
}
