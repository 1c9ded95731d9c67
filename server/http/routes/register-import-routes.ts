import { Hono } from 'hono'
import type { Context } from 'hono'
import { assertRole } from '../../core/auth/access-policy.js'
import { toShanghaiTime } from '../../core/clock/shanghai-time.js'
import { AppError } from '../../core/errors/app-error.js'
import { importRegisters } from '../../core/registers/import-registers.js'
import {
  readUploadedRegisters,
  registerOfFileName,
  uploadedFileKind,
} from '../../core/registers/read-uploaded-registers.js'
import { registerNames } from '../../core/registers/register-records.js'
import type { ApiDeps } from '../api-deps.js'
import type { AuthenticatedEnv } from '../authenticate.js'
import { parseInput } from '../parse-input.js'
import { readBodyBytes } from '../read-request.js'
import { confineToSchool, schoolOf } from './register-access.js'
import { answerReport } from './register-answers.js'
import { importQuery } from './register-inputs.js'

/** A county workbook of 100,000 pupils is about 10 MB. */
const uploadMaxBytes = 64 * 1024 * 1024

/**
 * Import of a workbook or a CSV file: a dry run first, then applied in one transaction. A school
 * imports its own pupils only, and never removes.
 */
export function registerImportRoutes(deps: ApiDeps) {
  const { db, county, clock } = deps
  return new Hono<AuthenticatedEnv>().post('/registers/import', async (c) => {
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
