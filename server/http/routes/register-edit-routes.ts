import { Hono } from 'hono'
import { toShanghaiTime } from '../../core/clock/shanghai-time.js'
import { AppError } from '../../core/errors/app-error.js'
import { importRegisters } from '../../core/registers/import-registers.js'
import type { LocatedRecords } from '../../core/registers/merge-registers.js'
import { parseRegisterRow } from '../../core/registers/read-register-files.js'
import { registerKeys } from '../../core/registers/register-records.js'
import { registerSheets } from '../../core/registers/register-sheets.js'
import type { ApiDeps } from '../api-deps.js'
import type { AuthenticatedEnv } from '../authenticate.js'
import { parseInput } from '../parse-input.js'
import { readJsonBody, smallBodyMaxBytes } from '../read-request.js'
import { assertMayUse, confineToSchool, readScoped, schoolOf } from './register-access.js'
import { answerReport } from './register-answers.js'
import { editBody, registerParam } from './register-inputs.js'

/**
 * Editing one record from the registers page: adding or changing it by its sheet row's cells, or
 * removing it by its key, each applied at once and kept in the change log.
 */
export function registerEditRoutes(deps: ApiDeps) {
  const { db, county, clock } = deps
  return new Hono<AuthenticatedEnv>()
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
      const stored = await readScoped(db, principal, register)
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
