import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAuditLog } from '../server/core/auth/audit-log.js'
import { createLoggingLetterSender } from '../server/core/auth/letter-sender.js'
import { createLogger } from '../server/core/log/logger.js'
import type { Database } from '../server/core/store/database.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { openPgliteDatabase } from '../server/core/store/pglite-database.js'
import type { HttpApp } from '../server/http/create-http-app.js'
import { loadTwoSchoolsTwoBuses, scenario } from './scenarios/two-schools-two-buses.js'
import { createScenarioApi } from './support/call-api.js'
import { settableClock } from './support/test-platform-parts.js'

/**
 * Parents' enrolment letters and attendants' paired phones through the API on the embedded store:
 * letters only for a school's own pupils, a letter's code redeemed once with the right digits into
 * a parent's session that sees only their child's bus, expired and mistyped codes refused, a fourth
 * phone ending the least recently used, and a paired phone that follows its attendant to another bus.
 */
const phones = { G1: '13800138001', G2: '13900139002' }

let db: Database
let app: HttpApp
let tokens: Awaited<ReturnType<typeof createScenarioApi>>['tokens']
const clock = settableClock(scenario.monday0710)
const logLines: string[] = []
let address = 0

/** One request, each from an address of its own unless told, so the per-address limit stays out of the way. */
async function call(method: string, path: string, token?: string, body?: unknown, from?: string) {
  address += 1
  const response = await app.request(path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      'content-type': 'application/json',
      'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) AppleWebKit Mobile/15E148 Safari/604.1',
      'x-forwarded-for': from ?? `192.0.2.${address % 250}`,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, body: (await response.json()) as Record<string, any> }
}

const letterFor = async (pupilCode: string, token = tokens.schoolS1) => {
  const answer = await call('POST', '/api/enrolment/letters', token, { pupilCodes: [pupilCode] })
  expect(answer.status, JSON.stringify(answer.body)).toBe(200)
  return answer.body.letters[0] as { code: string; link: string; expiresAt: string }
}
const enrol = (code: string, phoneLast4: string, from?: string) =>
  call('POST', '/api/access/enrol', undefined, { code, phoneLast4 }, from)

beforeAll(async () => {
  db = await openPgliteDatabase()
  await migrateDatabase(db)
  await loadTwoSchoolsTwoBuses(db)
  // The scenario's guardians have no phones: letters are confirmed by one.
  await db.query('UPDATE guardians SET phone = $2 WHERE id = $1', ['G1', phones.G1])
  await db.query('UPDATE guardians SET phone = $2 WHERE id = $1', ['G2', phones.G2])
  const letterSender = createLoggingLetterSender(createLogger({ write: (line) => void logLines.push(line) }))
  ;({ app, tokens } = await createScenarioApi(db, clock, { trustProxy: true, letterSender }))
})
afterAll(async () => {
  await db?.close()
})

describe('enrolment letters', () => {
  it('are made for a school’s own pupils, one per pupil and guardian, and logged', async () => {
    const answer = await call('POST', '/api/enrolment/letters', tokens.schoolS1, {})
    expect(answer.status).toBe(200)
    expect(answer.body.letters).toHaveLength(1)
    const [letter] = answer.body.letters
    expect(letter).toMatchObject({
      pupilCode: 'P00000011',
      pupilName: 'Pupil One',
      schoolName: '龙山小学',
      guardianName: 'Guardian One',
      phoneMasked: '138****8001',
    })
    expect(letter.code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/)
    expect(letter.link).toBe(`http://localhost/enrol#code=${letter.code}`)
    expect(letter.qrSvg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    expect(Date.parse(letter.expiresAt) - clock.now().getTime()).toBe(30 * 86_400_000)
    const audit = await createAuditLog({ db, clock }).list({ action: 'enrolment_issued', limit: 1 })
    expect(audit[0]).toMatchObject({
      actor: 'school-admin-1',
      actorRole: 'school',
      target: 'S1',
      detail: { letters: 1, pupils: 1, withoutPhone: 0 },
    })
  })

  it('are refused for another school’s pupils, and to anyone but staff', async () => {
    expect((await call('POST', '/api/enrolment/letters', tokens.schoolS1, { schoolCode: 'S2' })).status).toBe(
      403,
    )
    expect(
      (await call('POST', '/api/enrolment/letters', tokens.schoolS1, { pupilCodes: ['P00000022'] })).status,
    ).toBe(403)
    expect((await call('POST', '/api/enrolment/letters', tokens.parentP1, { schoolCode: 'S1' })).status).toBe(
      403,
    )
    expect((await call('POST', '/api/enrolment/letters', tokens.bureau, {})).status).toBe(400)
    const bureau = await call('POST', '/api/enrolment/letters', tokens.bureau, { schoolCode: 'S2' })
    expect(bureau.body.letters.map((l: { pupilCode: string }) => l.pupilCode)).toEqual(['P00000022'])
  })

  it('open a parent’s session that sees only their child’s bus, once', async () => {
    const { code } = await letterFor('P00000011')
    const enrolled = await enrol(code, '8001')
    expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(200)
    expect(enrolled.body.pupils).toEqual([{ id: 'P1', name: 'Pupil One' }])
    expect(enrolled.body.token).toMatch(/^s1\./)
    const me = await call('GET', '/api/me', enrolled.body.token)
    expect(me.body.principal).toEqual({ role: 'parent', sub: 'G1', pupilIds: ['P1'] })
    const buses = await call('GET', '/api/buses', enrolled.body.token)
    expect(buses.body.buses.map((b: { id: string }) => b.id)).toEqual(['B1'])
    expect((await call('GET', '/api/buses/B2', enrolled.body.token)).status).toBe(403)

    const again = await enrol(code, '8001')
    expect(again.status).toBe(401)
    expect(again.body.error.message).toMatch(/already been used/)
  })

  it('refuse an expired code', async () => {
    const { code } = await letterFor('P00000011')
    clock.set(new Date(scenario.monday0710.getTime() + 31 * 86_400_000))
    try {
      const answer = await enrol(code, '8001')
      expect(answer.status).toBe(401)
      expect(answer.body.error.message).toMatch(/expired/)
    } finally {
      clock.set(scenario.monday0710)
    }
  })

  it('count wrong digits, and the fifth voids the code', async () => {
    const { code } = await letterFor('P00000011')
    for (let i = 0; i < 4; i += 1) {
      const wrong = await enrol(code, '0000')
      expect(wrong.status).toBe(401)
      expect(wrong.body.error).toMatchObject({ code: 'unauthenticated', field: 'body.phoneLast4' })
      expect(wrong.body.error.message).toMatch(/do not match/)
    }
    expect((await enrol(code, '0000')).body.error.message).toMatch(/too many/)
    expect((await enrol(code, '8001')).body.error.message).toMatch(/not known/)
    expect((await enrol('K7QM-3XPA-9TRD', '8001')).status).toBe(401)
    expect((await enrol(code, '80a1')).status).toBe(400)
  })

  it('keep three phones per guardian: a fourth ends the least recently used', async () => {
    const tokensOfPhones: string[] = []
    for (let i = 0; i < 4; i += 1) {
      clock.set(new Date(scenario.monday0710.getTime() + (i + 1) * 10 * 60_000))
      const answer = await enrol((await letterFor('P00000022', tokens.schoolS2)).code, '9002')
      expect(answer.status).toBe(200)
      tokensOfPhones.push(answer.body.token)
    }
    clock.set(scenario.monday0710)
    expect((await call('GET', '/api/me', tokensOfPhones[0])).status).toBe(401)
    for (const token of tokensOfPhones.slice(1))
      expect((await call('GET', '/api/me', token)).status).toBe(200)
    const status = await call('GET', '/api/enrolment/status', tokens.schoolS2)
    expect(status.body.status).toEqual([
      expect.objectContaining({ pupilCode: 'P00000022', guardianName: 'Guardian Two', enrolledPhones: 3 }),
    ])
    const revoked = await createAuditLog({ db, clock }).list({
      action: 'session_revoked',
      actor: 'G2',
      limit: 5,
    })
    expect(revoked).toHaveLength(1)
  })

  it('are sent through the letter sender, which says no gateway is configured', async () => {
    const sent = await call('POST', '/api/enrolment/send', tokens.schoolS1, {
      pupilCode: 'P00000011',
      guardianPhone: phones.G1,
      channel: 'sms',
    })
    expect(sent.body).toMatchObject({ sent: false, channel: 'sms', reason: 'no gateway configured' })
    expect(logLines.at(-1)).toContain('138****8001')
    expect(logLines.join('\n')).not.toContain(phones.G1)
    const other = await call('POST', '/api/enrolment/send', tokens.schoolS2, {
      pupilCode: 'P00000011',
      guardianPhone: phones.G1,
      channel: 'sms',
    })
    expect(other.status).toBe(403)
  })

  it('are redeemed only a few times a minute from one address', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 12; i += 1)
      statuses.push((await enrol('K7QM-3XPA-9TRD', '0000', '198.51.100.9')).status)
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true)
    expect(statuses.slice(10)).toEqual([429, 429])
    expect((await enrol('K7QM-3XPA-9TRD', '0000', '198.51.100.9')).body.error.code).toBe('rate_limited')
  })
})

describe('pairing an attendant’s phone', () => {
  it('is allowed to the schools the attendant’s bus serves', async () => {
    expect((await call('POST', '/api/pairings', tokens.schoolS1, { staffCode: 'A2' })).status).toBe(403)
    expect((await call('POST', '/api/pairings', tokens.parentP1, { staffCode: 'A1' })).status).toBe(403)
    expect((await call('POST', '/api/pairings', tokens.attendantB1, { staffCode: 'A1' })).status).toBe(403)
  })

  it('gives a phone the attendant’s bus, which follows the attendant to another bus', async () => {
    const pairing = await call('POST', '/api/pairings', tokens.schoolS1, { staffCode: 'A1' })
    expect(pairing.status, JSON.stringify(pairing.body)).toBe(200)
    expect(pairing.body).toMatchObject({ busId: 'B1' })
    expect(pairing.body.link).toBe(`http://localhost/pair#code=${pairing.body.code}`)
    expect(pairing.body.qrSvg).toMatch(/^<svg/)
    expect(Date.parse(pairing.body.expiresAt) - clock.now().getTime()).toBe(10 * 60_000)

    const paired = await call('POST', '/api/access/pair', undefined, { code: pairing.body.code })
    expect(paired.status).toBe(200)
    expect(paired.body.busId).toBe('B1')
    const me = await call('GET', '/api/me', paired.body.token)
    expect(me.body.principal).toEqual({ role: 'attendant', sub: 'A1', busId: 'B1' })
    expect(
      (await call('GET', '/api/buses', paired.body.token)).body.buses.map((b: { id: string }) => b.id),
    ).toEqual(['B1'])
    expect((await call('POST', '/api/access/pair', undefined, { code: pairing.body.code })).status).toBe(401)

    await db.query(`UPDATE staff SET bus_id = 'B2' WHERE id = 'A1'`)
    try {
      expect((await call('GET', '/api/me', paired.body.token)).body.principal).toMatchObject({ busId: 'B2' })
      expect(
        (await call('GET', '/api/buses', paired.body.token)).body.buses.map((b: { id: string }) => b.id),
      ).toEqual(['B2'])
    } finally {
      await db.query(`UPDATE staff SET bus_id = 'B1' WHERE id = 'A1'`)
    }
  })

  it('keeps the other phone of the bus unless asked to replace it', async () => {
    const pair = async (replace?: boolean) => {
      const pairing = await call('POST', '/api/pairings', tokens.bureau, { staffCode: 'A2', replace })
      return (await call('POST', '/api/access/pair', undefined, { code: pairing.body.code })).body
        .token as string
    }
    const first = await pair()
    const second = await pair()
    expect((await call('GET', '/api/me', first)).status).toBe(200)
    const third = await pair(true)
    expect((await call('GET', '/api/me', first)).status).toBe(401)
    expect((await call('GET', '/api/me', second)).status).toBe(401)
    expect((await call('GET', '/api/me', third)).status).toBe(200)
  })
})

describe('the audit trail', () => {
  it('holds the letters, enrolments, pairings and failures', async () => {
    const audit = createAuditLog({ db, clock })
    const actions = new Set((await audit.list({ limit: 500 })).map((entry) => entry.action))
    for (const action of [
      'enrolment_issued',
      'enrolment_sent',
      'enrolled',
      'enrolment_failed',
      'pairing_issued',
      'paired',
      'pairing_failed',
      'session_revoked',
      'pupil_data_read',
    ]) {
      expect(actions, action).toContain(action)
    }
    const [enrolled] = await audit.list({ action: 'enrolled', actor: 'G1', limit: 1 })
    expect(enrolled).toMatchObject({ target: 'P1', actorRole: 'parent' })
    expect(enrolled?.userAgent).toContain('iPhone')
    expect(enrolled?.ip).toMatch(/^192\.0\.2\./)
  })
})
