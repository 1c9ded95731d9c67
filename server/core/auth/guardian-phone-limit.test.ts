import { expect, it } from 'vitest'
import {
  androidPhone as phone,
  bureauMember as bureau,
  useOneTimeCodeStore,
} from '../../../test/support/one-time-code-store.js'
import { maxGuardianPhones } from './guardian-phone-limit.js'

const minute = 60_000
const storeOf = useOneTimeCodeStore(new Date('2026-03-02T08:00:00+08:00'))

it('keeps three phones per guardian: a fourth ends the one least recently used', async () => {
  const { enrolment, sessions, audit } = storeOf()
  const enrolPhone = async () => {
    const { code } = await enrolment.issueEnrolment({ guardianId: 'G1', pupilId: 'P1' }, bureau)
    return (await enrolment.redeemEnrolment({ code, phoneLast4: '8000' }, phone)).token
  }
  const tokens: string[] = []
  for (let i = 0; i < maxGuardianPhones; i += 1) {
    tokens.push(await enrolPhone())
    storeOf().advance(10 * minute)
  }
  // The first phone is used again, so the second is now the least recently used.
  await sessions.verify(tokens[0]!)
  storeOf().advance(10 * minute)
  const fourth = await enrolPhone()
  await expect(sessions.verify(tokens[1]!)).rejects.toThrow(/ended/)
  for (const token of [tokens[0]!, tokens[2]!, fourth]) await sessions.verify(token)
  expect(await sessions.list({ owner: { guardianId: 'G1' } })).toHaveLength(maxGuardianPhones)
  const [revoked] = await audit.list({ action: 'session_revoked', limit: 1 })
  expect(revoked).toMatchObject({ actor: 'G1', detail: { kind: 'guardian', limit: maxGuardianPhones } })
})
