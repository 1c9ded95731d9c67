import { Hono } from 'hono'
import type { Context } from 'hono'
import { z } from 'zod'
import { assertRole } from '../../core/auth/access-policy.js'
import type { Principal } from '../../core/auth/principal.js'
import { toShanghaiTime } from '../../core/clock/shanghai-time.js'
import { AppError } from '../../core/errors/app-error.js'
import { exportRegisterCsv, exportRegisterWorkbook } from '../../core/registers/export-registers.js'
import { reasonOfRefusedImport } from '../../core/registers/import-refusal.js'
import { importRegisters, type RegisterImportReport } from '../../core/registers/import-registers.js'
import { parseRegisterRow } from '../../core/registers/read-register-files.js'
import {
  readUploadedRegisters,
  registerOfFileName,
  uploadedFileKind,
} from '../../core/registers/read-uploaded-registers.js'
import { listRegisterChanges } from '../../core/registers/register-change-log.js'
import type { LocatedRecords } from '../../core/registers/merge-registers.js'
import { readRegisters } from '../../core/registers/read-registers.js'
import { registerKeys, registerNames, type RegisterName } from '../../core/registers/register-records.js'
import { registerSheets, sheetTitle } from '../../core/registers/register-sheets.js'
import { writeRegisterWorkbook } from '../../core/registers/write-register-files.js'
import type { Queryable } from '../../core/store/database.js'
import type { ApiDeps } from '../api-deps.js'
import type { AuthenticatedEnv } from '../authenticate.js'
import { auditPersonalData, personalRegisters } from '../audit-personal-reads.js'
import { describeOperations } from '../openapi/api-operation.js'
import { parseInput } from '../parse-input.js'
import { readBodyBytes, readJsonBody, smallBodyMaxBytes } from '../read-request.js'
import type { ErrorBody } from '../error-response.js'

/** A county workbook of 100,000 pupils is about 10 MB. */
const uploadMaxBytes = 64 * 1024 * 1024
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** A school keeps its own pupils; every other register is the bureau's. */
const schoolRegisters: ReadonlySet<RegisterName> = new Set(['pupils'])

const registerParam = z.object({
  register: z
    .string()
    .describe(`a register: ${registerNames.join(', ')} (or its sheet's name)`)
    .transform((name, ctx) => {
      const register = registerOfFileName(name)
      if (!register) ctx.addIssue({ code: 'custom', message: `expected one of ${registerNames.join(', ')}` })
      return register as RegisterName
    }),
})
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')
const importQuery = z.object({
  fileName: z.string().min(1).max(200),
  register: z.string().optional(),
  dryRun: flag.default(true),
  remove: flag.default(false),
})
const listQuery = z.object({
  q: z.string().max(100).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
})
const changesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  beforeId: z.coerce.number().int().min(1).optional(),
})
const editBody = z.object({ cells: z.record(z.string(), z.string().max(500).nullable()) })

const csvType = 'text/csv; charset=utf-8'
const refusedReport =
  '`{report, error}`: refused, with its problems by sheet, row and column, and `error.reason` ' +
  '(`record_still_referenced`, `register_errors`, `not_a_register_file`); nothing changed'
const reportAnswers = {
  200: '`{report}`: the change applied, with the change log entry',
  422: refusedReport,
}

export const registerOperations = describeOperations([
  {
    method: 'get',
    path: '/api/registers',
    summary: 'The registers the caller keeps, with their columns in both languages',
    callers: ['bureau', 'school'],
    responses: { 200: '`{registers}`' },
  },
  {
    method: 'get',
    path: '/api/registers/template.xlsx',
    summary: 'An empty workbook with a sheet for each register, to fill in and import',
    callers: ['bureau', 'school'],
    responses: { 200: { description: 'the workbook', type: xlsxType } },
  },
  {
    method: 'get',
    path: '/api/registers/export.xlsx',
    summary: 'The registers as one workbook: all for the bureau, its pupils for a school',
    description: 'Every export is kept in the audit log.',
    callers: ['bureau', 'school'],
    responses: { 200: { description: 'the workbook', type: xlsxType } },
  },
  {
    method: 'get',
    path: '/api/registers/changes',
    summary: "The registers' change log, newest first",
    callers: ['bureau'],
    query: changesQuery,
    responses: { 200: '`{changes}`' },
  },
  {
    method: 'post',
    path: '/api/registers/import',
    summary: 'Imports a workbook or a CSV file: a dry run first, then applied in one transaction',
    description: 'A school imports its own pupils only, and never removes.',
    callers: ['bureau', 'school'],
    query: importQuery,
    body: { types: [xlsxType, 'text/csv'], description: 'the file, as its bytes' },
    responses: {
      200: '`{report}`: what would change or changed, and the problems found',
      422: refusedReport,
    },
    errors: ['unprocessable'],
  },
  {
    method: 'get',
    path: '/api/registers/:register{[^/]+\\.csv}',
    summary: 'One register as CSV',
    callers: ['bureau'],
    params: registerParam,
    responses: { 200: { description: 'the register', type: csvType } },
  },
  {
    method: 'get',
    path: '/api/registers/:register',
    summary: "A register's records, searched and paged",
    description: "Reading pupils' or guardians' records is kept in the audit log.",
    callers: ['bureau', 'school'],
    params: registerParam,
    query: listQuery,
    responses: { 200: '`{total, records}`; each record with its `key`' },
  },
  {
    method: 'put',
    path: '/api/registers/:register/records',
    summary: 'Adds or changes one record, given as the cells of its sheet row by column name',
    callers: ['bureau', 'school'],
    params: registerParam,
    body: editBody,
    responses: reportAnswers,
    errors: ['unprocessable'],
  },
  {
    method: 'delete',
    path: '/api/registers/:register/records/:key',
    summary: 'Removes one record by its key',
    callers: ['bureau', 'school'],
    params: registerParam.extend({ key: z.string().describe("the record's key, as listed") }),
    responses: reportAnswers,
    errors: ['not_found', 'unprocessable'],
  },
])

/**
 * The bureau's registers: their layout, a template, export as a workbook or CSV, import (a dry run
 * first, then applied in one transaction), searching and editing one record, and the change log.
 * A school sees and edits its own pupils. Every export is logged.
 */
export function registerRoutes(deps: ApiDeps) {
  const { db, county, clock } = deps
  const schoolOf = (principal: Principal) => (principal.role === 'school' ? principal.schoolId : undefined)
  const assertMayUse = (principal: Principal, register: RegisterName) => {
    assertRole(principal, ['bureau', 'school'])
    if (principal.role === 'school' && !schoolRegisters.has(register)) {
      throw new AppError('forbidden', `a school keeps only its pupils, not the ${register}`, {
        reason: 'bureau_register',
      })
    }
  }
  const readScoped = async (principal: Principal, register: RegisterName) =>
    (await readRegisters(db, { registers: [register], schoolCode: schoolOf(principal) }))[register]

  return new Hono<AuthenticatedEnv>()
    .get('/registers', async (c) => {
      const principal = c.get('principal')
      assertRole(principal, ['bureau', 'school'])
      const visible = registerNames.filter((name) => principal.role === 'bureau' || schoolRegisters.has(name))
      return c.json({
        registers: visible.map((name) => ({
          ...registerSheets[name],
          title: sheetTitle(registerSheets[name]),
        })),
      })
    })
    .get('/registers/template.xlsx', async (c) => {
      assertRole(c.get('principal'), ['bureau', 'school'])
      return download(
        c,
        await writeRegisterWorkbook({}, { template: true }),
        'registers-template.xlsx',
        xlsxType,
      )
    })
    .get('/registers/export.xlsx', async (c) => {
      const principal = c.get('principal')
      assertRole(principal, ['bureau', 'school'])
      const registers = principal.role === 'school' ? [...schoolRegisters] : undefined
      const bytes = await exportRegisterWorkbook(db, {
        actor: principal.sub,
        registers,
        schoolCode: schoolOf(principal),
      })
      await auditPersonalData(c, deps, {
        action: 'export',
        target: 'registers.xlsx',
        detail: { registers: registers ?? 'all', schoolCode: schoolOf(principal) ?? null },
      })
      return download(c, bytes, 'registers.xlsx', xlsxType)
    })
    .get('/registers/changes', async (c) => {
      assertRole(c.get('principal'), ['bureau'])
      const query = parseInput(changesQuery, c.req.query(), 'query')
      return c.json({ changes: await listRegisterChanges(db, query) })
    })
    .post('/registers/import', async (c) => {
      const principal = c.get('principal')
      assertRole(principal, ['bureau', 'school'])
      const query = parseInput(importQuery, c.req.query(), 'query')
      const register = query.register === undefined ? undefined : registerOfFileName(query.register)
      if (query.register !== undefined && !register) {
        throw new AppError('bad_request', `query.register: expected one of ${registerNames.join(', ')}`, {
          field: 'query.register',
        })
      }
      if (principal.role === 'school' && query.remove) {
        throw new AppError('forbidden', 'a school removes its pupils one at a time', {
          field: 'query.remove',
          reason: 'school_import_removal',
        })
      }
      // Known by its name before a byte of it is read.
      const kind = uploadedFileKind(query.fileName, register).kind
      if (kind === 'not_a_register_file') {
        throw new AppError(
          'unprocessable',
          'query.fileName: expected an Excel workbook (.xlsx) or a CSV file (.csv)',
          {
            field: 'query.fileName',
            reason: 'not_a_register_file',
          },
        )
      }
      if (kind === 'csv_register_unknown') {
        throw new AppError(
          'bad_request',
          `query.register: name the register the CSV holds (${registerNames.join(', ')})`,
          {
            field: 'query.register',
            reason: 'csv_register_unknown',
          },
        )
      }
      const bytes = await readUpload(c)
      const parsed = await readUploadedRegisters({ name: query.fileName, bytes }, register)
      const school = schoolOf(principal)
      if (school !== undefined) await confineToSchool(db, parsed.records, school)
      const report = await importRegisters(db, parsed, {
        apply: !query.dryRun,
        remove: query.remove,
        actor: principal.sub,
        source: query.fileName,
        county,
        serviceDay: toShanghaiTime(clock.now()).date,
      })
      return answerReport(c, report, { apply: !query.dryRun })
    })
    .get('/registers/:register{[^/]+\\.csv}', async (c) => {
      const principal = c.get('principal')
      const { register } = parseInput(
        registerParam,
        { register: c.req.param('register').replace(/\.csv$/, '') },
        'params',
      )
      assertMayUse(principal, register)
      if (principal.role === 'school')
        throw new AppError('forbidden', 'a school exports its registers as a workbook', {
          reason: 'school_csv_export',
        })
      const text = await exportRegisterCsv(db, register, principal.sub)
      await auditPersonalData(c, deps, { action: 'export', target: `registers/${register}.csv` })
      return download(c, text, `${registerSheets[register].en}.csv`, 'text/csv; charset=utf-8')
    })
    .get('/registers/:register', async (c) => {
      const principal = c.get('principal')
      const { register } = parseInput(registerParam, { register: c.req.param('register') }, 'params')
      assertMayUse(principal, register)
      const query = parseInput(listQuery, c.req.query(), 'query')
      const records = searchRecords((await readScoped(principal, register)) as unknown[], query.q)
      if (personalRegisters.has(register)) {
        await auditPersonalData(c, deps, {
          target: `registers/${register}`,
          detail: {
            q: query.q ?? null,
            offset: query.offset,
            shown: Math.max(0, Math.min(query.limit, records.length - query.offset)),
          },
        })
      }
      return c.json({
        total: records.length,
        records: records.slice(query.offset, query.offset + query.limit).map((record) => ({
          key: (registerKeys[register] as (r: unknown) => string)(record),
          record,
        })),
      })
    })
    .put('/registers/:register/records', async (c) => {
      const principal = c.get('principal')
      const { register } = parseInput(registerParam, { register: c.req.param('register') }, 'params')
      assertMayUse(principal, register)
      const { cells } = await readJsonBody(c, editBody, smallBodyMaxBytes)
      const parsed = parseRegisterRow(register, cells, { sheet: registerSheets[register].zh, row: 2 })
      const located = { [register]: parsed.record ? [{ record: parsed.record, origin: parsed.origin }] : [] }
      const school = schoolOf(principal)
      if (school !== undefined) await confineToSchool(db, located as LocatedRecords, school)
      const keyOf = registerKeys[register] as (r: unknown) => string
      const report = await importRegisters(
        db,
        { records: located as LocatedRecords, problems: parsed.problems },
        {
          apply: true,
          remove: false,
          actor: principal.sub,
          source: 'registers page',
          county,
          serviceDay: toShanghaiTime(clock.now()).date,
          single: parsed.record ? { action: 'edit', register, key: keyOf(parsed.record) } : undefined,
        },
      )
      return answerReport(c, report, { apply: true })
    })
    .delete('/registers/:register/records/:key', async (c) => {
      const principal = c.get('principal')
      const { register } = parseInput(registerParam, { register: c.req.param('register') }, 'params')
      assertMayUse(principal, register)
      const key = c.req.param('key')
      const stored = await readScoped(principal, register)
      const keyOf = registerKeys[register] as (r: unknown) => string
      const before = (stored as unknown[]).find((record) => keyOf(record) === key)
      if (!before) {
        throw new AppError('not_found', `no ${register} record ${key}`, {
          field: 'params.key',
          reason: 'record_not_found',
        })
      }
      const report = await importRegisters(
        db,
        { records: {}, problems: [] },
        {
          apply: true,
          remove: { [register]: [key] },
          actor: principal.sub,
          source: 'registers page',
          county,
          single: { action: 'remove', register, key },
        },
      )
      return answerReport(c, report, { apply: true })
    })
}

/**
 * The report of an import or an edit: as is when it went through (or was only checked), else
 * refused (422) with the error body's reason beside it, so that a client tells a removal others
 * still refer to from records with errors without reading the problems.
 */
function answerReport(c: Context, report: RegisterImportReport, options: { apply: boolean }) {
  const reason = reasonOfRefusedImport(report, options)
  if (reason === null) return c.json({ report })
  const error: ErrorBody['error'] = {
    code: 'unprocessable',
    message: `${report.errorCount} errors: nothing ${options.apply ? 'written' : 'checked'}`,
    reason,
  }
  return c.json({ report, error }, 422)
}

/** The uploaded file, refused with its own reason when larger than an import takes. */
async function readUpload(c: Context): Promise<Buffer> {
  try {
    return await readBodyBytes(c, uploadMaxBytes)
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'too_large') throw error
    throw new AppError('too_large', `body: the file is larger than ${uploadMaxBytes} bytes`, {
      field: 'body',
      reason: 'file_too_large',
      cause: error,
    })
  }
}

/**
 * A school's file or edit may hold only its own pupils: none of another school, and none whose code
 * is another school's pupil's, which would move that pupil into this school.
 */
async function confineToSchool(db: Queryable, records: LocatedRecords, schoolCode: string): Promise<void> {
  for (const register of registerNames) {
    if (records[register] && !schoolRegisters.has(register)) {
      throw new AppError('forbidden', `a school imports only its pupils, not the ${register}`, {
        reason: 'bureau_register',
      })
    }
  }
  const pupils = records.pupils ?? []
  for (const { record, origin } of pupils) {
    if (record.schoolCode !== schoolCode) {
      throw new AppError(
        'forbidden',
        `${origin.sheet} row ${origin.row}: pupil ${record.code} is not of school ${schoolCode}`,
        { reason: 'pupil_of_another_school' },
      )
    }
  }
  const [taken] = await db.query<{ code: string }>(
    'SELECT code FROM pupils WHERE code = ANY($1::text[]) AND school_id <> $2 ORDER BY code LIMIT 1',
    [pupils.map(({ record }) => record.code), schoolCode],
  )
  if (taken) {
    const { origin } = pupils.find(({ record }) => record.code === taken.code)!
    throw new AppError(
      'forbidden',
      `${origin.sheet} row ${origin.row}: pupil ${taken.code} is another school's pupil`,
      { reason: 'pupil_of_another_school' },
    )
  }
}

function searchRecords<T>(records: T[], q: string | undefined): T[] {
  if (!q) return records
  const needle = q.trim().toLowerCase()
  return records.filter((record) =>
    Object.values(record as Record<string, unknown>).some((value) =>
      String(Array.isArray(value) ? value.join(' ') : (value ?? ''))
        .toLowerCase()
        .includes(needle),
    ),
  )
}

function download(c: Context, body: Uint8Array | string, fileName: string, type: string) {
  c.header('content-type', type)
  c.header('content-disposition', `attachment; filename="${fileName}"`)
  c.header('cache-control', 'no-store')
  return c.body(typeof body === 'string' ? body : new Uint8Array(body))
}
