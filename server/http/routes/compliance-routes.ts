import { Hono } from 'hono'
import type { Context } from 'hono'
import { z } from 'zod'
import { assertRole } from '../../core/auth/access-policy.js'
import type { Principal } from '../../core/auth/principal.js'
import { toShanghaiTime } from '../../core/clock/shanghai-time.js'
import { complianceLevels } from '../../core/compliance/compliance-finding.js'
import { buildComplianceReport, type ComplianceReport } from '../../core/compliance/compliance-report.js'
import type { ComplianceRegisters } from '../../core/compliance/find-compliance.js'
import { readRemovedByScore } from '../../core/compliance/removed-by-score.js'
import { writeComplianceCsv, writeComplianceWorkbook } from '../../core/compliance/write-compliance-files.js'
import { readRegisters } from '../../core/registers/read-registers.js'
import type { ApiDeps } from '../api-deps.js'
import { auditPersonalData } from '../audit-personal-reads.js'
import type { AuthenticatedEnv } from '../authenticate.js'
import { serviceDateSchema } from '../input-schemas.js'
import { describeOperations } from '../openapi/api-operation.js'
import { parseInput } from '../parse-input.js'

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const csvType = 'text/csv; charset=utf-8'

const complianceQuery = z.object({
  date: serviceDateSchema.optional().describe('the service day judged; today in Cixi when absent'),
  level: z
    .enum(complianceLevels)
    .optional()
    .describe('only findings at this level or worse (red, then amber, then notice)'),
})

const scopeNote =
  'The bureau sees every bus and person; a school the buses serving it and their staff. ' +
  'An age finding says the age is out of range, never the birth date.'

export const complianceOperations = describeOperations([
  {
    method: 'get',
    path: '/api/compliance',
    summary: "The compliance register: buses' papers and drivers' and attendants' qualifications",
    description:
      'Findings worst first (red: out of compliance or lapsing today; amber: within 7 days; notice: ' +
      'within 30), each with its rule, due date and days left, and the standing (red, amber, ok) of ' +
      `every bus and person. ${scopeNote}`,
    callers: ['bureau', 'school'],
    query: complianceQuery,
    responses: { 200: '`{date, findings, buses, staff, counts}`' },
  },
  {
    method: 'get',
    path: '/api/compliance.csv',
    summary: "The compliance register's findings as CSV",
    description: `Every export is kept in the audit log. ${scopeNote}`,
    callers: ['bureau', 'school'],
    query: complianceQuery,
    responses: { 200: { description: 'the findings', type: csvType } },
  },
  {
    method: 'get',
    path: '/api/compliance.xlsx',
    summary: 'The compliance register as a workbook: the findings, and every bus’s and person’s standing',
    description: `Every export is kept in the audit log. ${scopeNote}`,
    callers: ['bureau', 'school'],
    query: complianceQuery,
    responses: { 200: { description: 'the workbook', type: xlsxType } },
  },
])

/**
 * The compliance register (server/core/compliance): read on screen, or taken away as CSV or a
 * workbook, which the audit log keeps like the registers' exports.
 */
export function complianceRoutes(deps: ApiDeps) {
  const { db, access, clock } = deps

  /** The buses and people the caller answers for: all for the bureau, a school's buses and their staff. */
  const registersOf = async (principal: Principal): Promise<ComplianceRegisters> => {
    assertRole(principal, ['bureau', 'school'])
    const { buses, staff } = await readRegisters(db, { registers: ['buses', 'staff'] })
    const visible = await access.visibleBusIds(principal)
    if (visible === 'all') return { buses, staff }
    const busIds = new Set(visible)
    const mine = buses.filter((bus) => busIds.has(bus.code))
    const plates = new Set(mine.map((bus) => bus.plate))
    return {
      buses: mine,
      staff: staff.filter((person) => person.busPlate !== null && plates.has(person.busPlate)),
    }
  }

  const reportFor = async (c: Context<AuthenticatedEnv>): Promise<ComplianceReport> => {
    const principal = c.get('principal')
    const registers = await registersOf(principal)
    const query = parseInput(complianceQuery, c.req.query(), 'query')
    const date = query.date ?? toShanghaiTime(clock.now()).date
    // A removal by the score stands in its own cycle only: read it for the day reported.
    const removedByScore = await readRemovedByScore(db, date)
    return buildComplianceReport({ ...registers, removedByScore }, date, { level: query.level })
  }

  const download = async (c: Context<AuthenticatedEnv>, format: 'csv' | 'xlsx') => {
    const report = await reportFor(c)
    const principal = c.get('principal')
    const body = format === 'csv' ? writeComplianceCsv(report) : await writeComplianceWorkbook(report)
    await auditPersonalData(c, deps, {
      action: 'export',
      target: `compliance.${format}`,
      detail: {
        date: report.date,
        level: c.req.query('level') ?? null,
        schoolId: principal.role === 'school' ? principal.schoolId : null,
        findings: report.findings.length,
      },
    })
    c.header('content-type', format === 'csv' ? csvType : xlsxType)
    c.header('content-disposition', `attachment; filename="compliance-${report.date}.${format}"`)
    c.header('cache-control', 'no-store')
    return c.body(typeof body === 'string' ? body : new Uint8Array(body))
  }

  return new Hono<AuthenticatedEnv>()
    .get('/compliance', async (c) => c.json(await reportFor(c)))
    .get('/compliance.csv', (c) => download(c, 'csv'))
    .get('/compliance.xlsx', (c) => download(c, 'xlsx'))
}
