import { describe, expect, it } from 'vitest'
import {
  androidPhone as phone,
  bureauMember as bureau,
  useOneTimeCodeStore,
  refusalOf as refusal,
} from '../../../test/support/one-time-code-store.js'
import { lastFourDigits } from './enrolment-codes.js'
import { normaliseCode } from './one-time-code-format.js'
import { refusalMessages } from './one-time-codes.js'

const day = 86_400_000
const storeOf = useOneTimeCodeStore(new Date('2026-03-02T08:00:00+08:00'))

it('confirms a code by the last four digits of the phone the registers hold', () => {
  expect(lastFourDigits('138-0013-8000')).toBe('8000')
  expect(lastFourDigits('+86 138 0013 8123')).toBe('8123')
  expect(lastFourDigits(null)).toBeNull()
  expect(lastFourDigits('12')).toBeNull()
})

describe('enrolment codes', () => {
  it('are kept only as a hash, valid thirty days, and a new one voids the earlier', async () => {
    const { enrolment, db, clock } = storeOf()
    const first = await enrolment.issueEnrolment({ guardianId: 'G1', pupilId: 'P1' }, bureau)
    expect(first.expiresAt.getTime() - clock.now().getTime()).toBe(30 * day)
    const stored = await db.query<Record<string, unknown>>('SELECT * FROM one_time_codes WHERE id = $1', [
      first.id,
    ])
    expect(JSON.stringify(stored)).not.toContain(normaliseCode(first.code))
    expect(JSON.stringify(stored)).not.toContain(first.code)
    const second = await enrolment.issueEnrolment({ guardianId: 'G1', pupilId: 'P1' }, bureau)
    expect(
      await refusal(enrolment.redeemEnrolment({ code: first.code, phoneLast4: '8000' }, phone)),
    ).toMatchObject({
      status: 401,
      message: refusalMessages.unknown,
    })
    const enrolled = await enrolment.redeemEnrolment(
      { code: second.code.toLowerCase(), phoneLast4: '8000' },
      phone,
    )
    expect(enrolled.pupils.map((p) => p.id).sort()).toEqual(['P1', 'P2'])
    expect(enrolled.expiresAt.getTime() - clock.now().getTime()).toBe(180 * day)
  })

  it('open a guardian’s own sliding session, once', async () => {
    const { enrolment, sessions, audit } = storeOf()
    const { code } = await enrolment.issueEnrolment({ guardianId: 'G1', pupilId: 'P2' }, bureau)
    const enrolled = await enrolment.redeemEnrolment({ code, phoneLast4: '8000' }, phone)
    const verified = await sessions.verify(enrolled.token)
    expect(verified.principal).toEqual({ role: 'parent', sub: 'G1', pupilIds: ['P1', 'P2'] })
    const listed = (await sessions.list({ owner: { guardianId: 'G1' } })).find(
      (s) => s.id === enrolled.sessionId,
    )
    expect(listed).toMatchObject({ id: enrolled.sessionId, kind: 'guardian', label: 'Android · Chrome' })
    expect(await refusal(enrolment.redeemEnrolment({ code, phoneLast4: '8000' }, phone))).toMatchObject({
      status: 401,
      message: refusalMessages.used,
    })
    const [failed] = await audit.list({ action: 'enrolment_failed', limit: 1 })
    expect(failed).toMatchObject({ actor: 'G1', detail: { reason: 'used' }, ip: phone.ip })
    const [done] = await audit.list({ action: 'enrolled', limit: 1 })
    expect(done).toMatchObject({ actor: 'G1', target: 'P2', detail: { sessionId: enrolled.sessionId } })
  })

  it('expire after thirty days', async () => {
    const { enrolment } = storeOf()
    const { code } = await enrolment.issueEnrolment({ guardianId: 'G1', pupilId: 'P1' }, bureau)
    storeOf().advance(30 * day)
    expect(await refusal(enrolment.redeemEnrolment({ code, phoneLast4: '8000' }, phone))).toMatchObject({
      status: 401,
      message: refusalMessages.expired,
    })
  })

  it('count wrong digits and are voided by the fifth', async () => {
    const { enrolment, audit } = storeOf()
    const { code } = await enrolment.issueEnrolment({ guardianId: 'G1', pupilId: 'P1' }, bureau)
    for (let i = 1; i <= 4; i += 1) {
      expect(await refusal(enrolment.redeemEnrolment({ code, phoneLast4: '1234' }, phone))).toMatchObject({
        status: 401,
        message: refusalMessages.wrong_digits,
        field: 'body.phoneLast4',
      })
    }
    expect(await refusal(enrolment.redeemEnrolment({ code, phoneLast4: '1234' }, phone))).toMatchObject({
      message: refusalMessages.too_many_attempts,
    })
    expect(await refusal(enrolment.redeemEnrolment({ code, phoneLast4: '8000' }, phone))).toMatchObject({
      message: refusalMessages.unknown,
    })
    const failures = await audit.list({ action: 'enrolment_failed', limit: 3 })
    expect(failures.map((f) => f.detail.reason)).toEqual(['unknown', 'too_many_attempts', 'wrong_digits'])
    expect(failures[1]?.detail).toMatchObject({ guardianId: 'G1', pupilId: 'P1', attempts: 5 })
  })

  it('cannot be confirmed for a guardian the registers hold no phone for', async () => {
    const { enrolment } = storeOf()
    const { code } = await enrolment.issueEnrolment({ guardianId: 'G2', pupilId: 'P1' }, bureau)
    expect(await refusal(enrolment.redeemEnrolment({ code, phoneLast4: '0000' }, phone))).toMatchObject({
      message: refusalMessages.wrong_digits,
    })
  })

  it('keep a sent letter’s code apart from the earlier one until it has been sent', async () => {
    const { enrolment } = storeOf()
    const pair = { guardianId: 'G1', pupilId: 'P2' }
    const handedOut = await enrolment.issueEnrolment(pair, bureau)
    const unsent = await enrolment.issueEnrolment(pair, bureau, { voidEarlier: false })
    await enrolment.voidCode(unsent.id)
    expect(
      await refusal(enrolment.redeemEnrolment({ code: unsent.code, phoneLast4: '8000' }, phone)),
    ).toMatchObject({ message: refusalMessages.unknown })
    const sent = await enrolment.issueEnrolment(pair, bureau, { voidEarlier: false })
    await enrolment.voidEnrolmentCodes(pair, sent.id)
    expect(
      await refusal(enrolment.redeemEnrolment({ code: handedOut.code, phoneLast4: '8000' }, phone)),
    ).toMatchObject({ message: refusalMessages.unknown })
    await enrolment.redeemEnrolment({ code: sent.code, phoneLast4: '8000' }, phone)
  })
})
