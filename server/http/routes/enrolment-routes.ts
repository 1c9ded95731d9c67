import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { assertAllowed, assertRole } from '../../core/auth/access-policy.js'
import type { Acting } from '../../core/auth/audit-log.js'
import { createEnrolmentCodes } from '../../core/auth/enrolment-codes.js'
import { createLoggingLetterSender, maskPhone } from '../../core/auth/letter-sender.js'
import { createPairingCodes } from '../../core/auth/pairing-codes.js'
import { AppError } from '../../core/errors/app-error.js'
import { createLogger } from '../../core/log/logger.js'
import type { ApiDeps } from '../api-deps.js'
import { auditPersonalData } from '../audit-personal-reads.js'
import type { AuthenticatedEnv } from '../authenticate.js'
import { codeLink, drawQrSvg, pageOrigin, writeLetterText } from '../enrolment-letter.js'
import { idSchema } from '../input-schemas.js'
import { findGuardiansOfPupils, resolveLettersScope } from '../letter-recipients.js'
import { describeOperations } from '../openapi/api-operation.js'
import { parseInput } from '../parse-input.js'
import { readJsonBody, smallBodyMaxBytes } from '../read-request.js'
import { requestOrigin } from '../request-origin.js'

/** A county's largest school, twice over; a bigger batch is asked for school by school. */
const lettersMax = 10_000
const lettersBodyMaxBytes = 1024 * 1024

const lettersBody = z.object({
  schoolCode: idSchema.optional(),
  pupilCodes: z.array(idSchema).min(1).max(lettersMax).optional(),
})
const sendBody = z.object({
  pupilCode: idSchema,
  guardianPhone: z.string().trim().min(4).max(32),
  channel: z.enum(['sms', 'wechat']),
})
const pairingsBody = z.object({ staffCode: idSchema, replace: z.boolean().optional() })
const statusQuery = z.object({ schoolCode: idSchema.optional() })

export const enrolmentOperations = describeOperations([
  {
    method: 'post',
    path: '/api/enrolment/letters',
    summary: "Enrolment letters for a school's or some pupils' guardians, each with a one-time code",
    description:
      'A school asks for its own pupils. Guardians without a phone in the registers get no letter and ' +
      'are listed in `withoutPhone`.',
    callers: ['bureau', 'school'],
    body: lettersBody,
    responses: { 200: '`{letters, withoutPhone}`; each letter has its code, link, QR (SVG) and expiry' },
    errors: ['not_found'],
  },
  {
    method: 'post',
    path: '/api/enrolment/send',
    summary: "Sends one guardian's enrolment letter to their phone by SMS or WeChat",
    callers: ['bureau', 'school'],
    body: sendBody,
    responses: { 200: '`{sent, phoneMasked, expiresAt}`, or `{sent: false, reason}` when it could not go' },
    errors: ['not_found'],
  },
  {
    method: 'post',
    path: '/api/pairings',
    summary: "A pairing code for an attendant's phone, valid for minutes",
    description: '`replace` ends the sessions of the phones paired before.',
    callers: ['bureau', 'school'],
    body: pairingsBody,
    responses: { 200: '`{code, link, qrSvg, expiresAt, busId, replacedSessions}`' },
    errors: ['not_found', 'unprocessable'],
  },
  {
    method: 'get',
    path: '/api/enrolment/status',
    summary: 'Which guardians have enrolled phones and which letters are still open, for one school',
    callers: ['bureau', 'school'],
    query: statusQuery,
    responses: { 200: '`{status}`: one row a guardian and pupil' },
    errors: ['not_found'],
  },
])

const actingOf = (c: Context<AuthenticatedEnv>, trustProxy: boolean | undefined): Acting => {
  const principal = c.get('principal')
  return { actor: principal.sub, actorRole: principal.role, ...requestOrigin(c, { trustProxy }) }
}

const digitsOf = (phone: string) => phone.replace(/\D/g, '')

/** Enrolment letters and pairing codes, made by the bureau and schools. */
export function enrolmentRoutes(deps: ApiDeps) {
  const { db, clock, audit, access, trustProxy } = deps
  const enrolment = createEnrolmentCodes(deps)
  const pairing = createPairingCodes(deps)
  const sender = deps.letterSender ?? createLoggingLetterSender(createLogger({ component: 'letters' }))

  return new Hono<AuthenticatedEnv>()
    .post('/enrolment/letters', async (c) => {
      const principal = c.get('principal')
      assertRole(principal, ['bureau', 'school'])
      const body = await readJsonBody(c, lettersBody, lettersBodyMaxBytes)
      const scope = await resolveLettersScope(db, principal, body)
      const rows = await findGuardiansOfPupils(db, scope, clock.now())
      // Without a phone in the registers the guardian could not confirm the code: no letter.
      const withPhone = rows.filter((row) => row.phone !== null)
      if (withPhone.length > lettersMax) {
        throw new AppError('too_large', `more than ${lettersMax} letters: ask for fewer pupils at a time`, {
          reason: 'too_many_letters',
        })
      }
      const by = actingOf(c, trustProxy)
      const issued = await enrolment.issueEnrolments(
        withPhone.map((row) => ({ guardianId: row.guardianId, pupilId: row.pupilId })),
        by,
      )
      const origin = pageOrigin(c, trustProxy)
      const letters = await Promise.all(
        withPhone.map(async (row, i) => {
          const { code, expiresAt } = issued[i]!
          const link = codeLink(origin, 'enrol', code)
          return {
            pupilCode: row.pupilCode,
            pupilName: row.pupilName,
            schoolName: row.schoolName,
            schoolNameEn: row.schoolNameEn,
            guardianName: row.guardianName,
            relation: row.relation,
            phoneMasked: maskPhone(row.phone!),
            code,
            link,
            qrSvg: await drawQrSvg(link),
            expiresAt,
          }
        }),
      )
      const withoutPhone = rows
        .filter((row) => row.phone === null)
        .map((row) => ({
          pupilCode: row.pupilCode,
          pupilName: row.pupilName,
          guardianName: row.guardianName,
        }))
      await audit.record({
        ...by,
        action: 'enrolment_issued',
        target: scope.schoolId ?? 'pupils',
        detail: {
          letters: letters.length,
          pupils: new Set(withPhone.map((row) => row.pupilId)).size,
          withoutPhone: withoutPhone.length,
          pupilCodes: scope.pupilCodes?.length ?? null,
        },
      })
      return c.json({ letters, withoutPhone })
    })
    .post('/enrolment/send', async (c) => {
      const principal = c.get('principal')
      assertRole(principal, ['bureau', 'school'])
      const body = await readJsonBody(c, sendBody, smallBodyMaxBytes)
      const guardians = await findGuardiansOfPupils(
        db,
        { schoolId: null, pupilCodes: [body.pupilCode] },
        clock.now(),
      )
      if (guardians.length === 0) {
        throw new AppError('not_found', `no pupil ${body.pupilCode} with a guardian`, {
          field: 'body.pupilCode',
        })
      }
      // The scope first: another school learns nothing of this pupil's guardians.
      await assertAllowed(access.canSeeSchool(principal, guardians[0]!.schoolId), `pupil ${body.pupilCode}`)
      const row = guardians.find(
        (r) => r.phone !== null && digitsOf(r.phone) === digitsOf(body.guardianPhone),
      )
      if (!row) {
        throw new AppError('not_found', `pupil ${body.pupilCode} has no guardian with that phone`, {
          field: 'body.guardianPhone',
        })
      }
      const by = actingOf(c, trustProxy)
      const pair = { guardianId: row.guardianId, pupilId: row.pupilId }
      // The letter already handed out keeps working until this one has reached the phone.
      const issued = await enrolment.issueEnrolment(pair, by, { voidEarlier: false })
      const link = codeLink(pageOrigin(c, trustProxy), 'enrol', issued.code)
      const result = await sender.send({
        toPhone: row.phone!,
        channel: body.channel,
        text: writeLetterText({ ...row, link, code: issued.code, expiresAt: issued.expiresAt }),
      })
      if (result.sent) await enrolment.voidEnrolmentCodes(pair, issued.id)
      else await enrolment.voidCode(issued.id)
      await audit.record({
        ...by,
        action: 'enrolment_sent',
        target: row.pupilId,
        detail: {
          guardianId: row.guardianId,
          channel: body.channel,
          sent: result.sent,
          ...(result.sent ? {} : { reason: result.reason }),
        },
      })
      return c.json({
        ...result,
        phoneMasked: maskPhone(row.phone!),
        expiresAt: result.sent ? issued.expiresAt : null,
      })
    })
    .post('/pairings', async (c) => {
      const principal = c.get('principal')
      assertRole(principal, ['bureau', 'school'])
      const body = await readJsonBody(c, pairingsBody, smallBodyMaxBytes)
      if (principal.role === 'school') {
        const [staff] = await db.query<{ bus_id: string | null }>('SELECT bus_id FROM staff WHERE id = $1', [
          body.staffCode,
        ])
        // A school pairs the attendants of the buses serving it, and no one else's.
        const allowed = staff?.bus_id ? access.canSeeBus(principal, staff.bus_id) : Promise.resolve(false)
        await assertAllowed(allowed, `staff member ${body.staffCode}`)
      }
      const issued = await pairing.issuePairing(body.staffCode, actingOf(c, trustProxy), {
        replace: body.replace,
      })
      const link = codeLink(pageOrigin(c, trustProxy), 'pair', issued.code)
      return c.json({
        code: issued.code,
        link,
        qrSvg: await drawQrSvg(link),
        expiresAt: issued.expiresAt,
        busId: issued.busId,
        replacedSessions: issued.replacedSessionIds.length,
      })
    })
    .get('/enrolment/status', async (c) => {
      const principal = c.get('principal')
      assertRole(principal, ['bureau', 'school'])
      const query = parseInput(statusQuery, c.req.query(), 'query')
      const scope = await resolveLettersScope(db, principal, { schoolCode: query.schoolCode })
      const rows = await findGuardiansOfPupils(db, scope, clock.now())
      await auditPersonalData(c, deps, {
        target: `school/${scope.schoolId}/enrolment`,
        detail: { rows: rows.length },
      })
      return c.json({
        status: rows.map((row) => ({
          pupilCode: row.pupilCode,
          pupilName: row.pupilName,
          guardianName: row.guardianName,
          relation: row.relation,
          phoneMasked: row.phone === null ? null : maskPhone(row.phone),
          enrolledPhones: row.enrolledPhones,
          letterExpiresAt: row.letterExpiresAt,
        })),
      })
    })
}
