import { Hono } from 'hono'
import { assertRole } from '../../core/auth/access-policy.js'
import { listRegisterChanges } from '../../core/registers/register-change-log.js'
import { registerKeys, registerNames } from '../../core/registers/register-records.js'
import { registerSheets, sheetTitle } from '../../core/registers/register-sheets.js'
import type { ApiDeps } from '../api-deps.js'
import type { AuthenticatedEnv } from '../authenticate.js'
import { auditPersonalData, personalRegisters } from '../audit-personal-reads.js'
import { parseInput } from '../parse-input.js'
import { assertMayUse, readScoped, schoolRegisters } from './register-access.js'
import { changesQuery, listQuery, registerParam } from './register-inputs.js'

/**
 * Reading the registers: their layout with columns in both languages, the change log, and a
 * register's records searched and paged. Reading pupils' or guardians' records is logged.
 */
export function registerReadRoutes(deps: ApiDeps) {
  const { db } = deps
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
    .get('/registers/changes', async (c) => {
      assertRole(c.get('principal'), ['bureau'])
      const query = parseInput(changesQuery, c.req.query(), 'query')
      return c.json({ changes: await listRegisterChanges(db, query) })
    })
    .get('/registers/:register', async (c) => {
      const principal = c.get('principal')
      const { register } = parseInput(registerParam, { register: c.req.param('register') }, 'params')
      assertMayUse(principal, register)
      const query = parseInput(listQuery, c.req.query(), 'query')
      const records = searchRecords((await readScoped(db, principal, register)) as unknown[], query.q)
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
