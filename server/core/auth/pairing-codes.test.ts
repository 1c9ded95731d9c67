import { describe, expect, it } from 'vitest'
import {
  androidPhone as phone,
  bureauMember as bureau,
  useOneTimeCodeStore,
  refusalOf as refusal,
} from '../../../test/support/one-time-code-store.js'
import { refusalMessages } from './one-time-codes.js'

const minute = 60_000
const storeOf = useOneTimeCodeStore(new Date('2026-03-02T08:00:00+08:00'))

describe('pairing codes', () => {
  it('last ten minutes, void the earlier, and pair a phone to the attendant’s bus', async () => {
    const { pairing, sessions, audit, clock } = storeOf()
    const first = await pairing.issuePairing('A1', bureau)
    expect(first.busId).toBe('B1')
    expect(first.expiresAt.getTime() - clock.now().getTime()).toBe(10 * minute)
    const second = await pairing.issuePairing('A1', bureau)
    expect(await refusal(pairing.redeemPairing({ code: first.code }, phone))).toMatchObject({
      message: refusalMessages.unknown,
    })
    const paired = await pairing.redeemPairing({ code: second.code }, phone)
    expect(paired.busId).toBe('B1')
    expect((await sessions.verify(paired.token)).principal).toEqual({
      role: 'attendant',
      sub: 'A1',
      busId: 'B1',
    })
    expect(await refusal(pairing.redeemPairing({ code: second.code }, phone))).toMatchObject({
      message: refusalMessages.used,
    })
    const third = await pairing.issuePairing('A1', bureau)
    storeOf().advance(10 * minute)
    expect(await refusal(pairing.redeemPairing({ code: third.code }, phone))).toMatchObject({
      message: refusalMessages.expired,
    })
    expect((await audit.list({ action: 'paired', limit: 1 }))[0]).toMatchObject({ actor: 'A1', target: 'B1' })
    expect((await audit.list({ action: 'pairing_failed', limit: 1 }))[0]?.detail).toMatchObject({
      reason: 'expired',
    })
    expect((await audit.list({ action: 'pairing_issued', limit: 1 }))[0]).toMatchObject({
      actor: 'bureau-1',
      target: 'A1',
    })
  })

  it('leave the attendant’s other phones paired unless asked to replace them', async () => {
    const { pairing, sessions } = storeOf()
    const one = await pairing.redeemPairing({ code: (await pairing.issuePairing('A1', bureau)).code }, phone)
    const two = await pairing.redeemPairing({ code: (await pairing.issuePairing('A1', bureau)).code }, phone)
    await sessions.verify(one.token)
    await sessions.verify(two.token)
    const replacing = await pairing.issuePairing('A1', bureau, { replace: true })
    await expect(sessions.verify(one.token)).rejects.toThrow(/ended/)
    await expect(sessions.verify(two.token)).rejects.toThrow(/ended/)
    const three = await pairing.redeemPairing({ code: replacing.code }, phone)
    await sessions.verify(three.token)
  })

  it('are made only for an attendant with a bus', async () => {
    const { pairing } = storeOf()
    expect(await refusal(pairing.issuePairing('D1', bureau))).toMatchObject({ status: 422 })
    expect(await refusal(pairing.issuePairing('A9', bureau))).toMatchObject({ status: 422 })
    expect(await refusal(pairing.issuePairing('nobody', bureau))).toMatchObject({ status: 404 })
  })

  it('refuse a code whose attendant has since left every bus', async () => {
    const { pairing, db, audit } = storeOf()
    const { code } = await pairing.issuePairing('A1', bureau)
    await db.query(`UPDATE staff SET bus_id = NULL WHERE id = 'A1'`)
    try {
      expect(await refusal(pairing.redeemPairing({ code }, phone))).toMatchObject({
        status: 401,
        message: refusalMessages.unknown,
      })
      expect((await audit.list({ action: 'pairing_failed', limit: 1 }))[0]).toMatchObject({
        actor: 'A1',
        detail: { reason: 'unknown', staffId: 'A1' },
      })
    } finally {
      await db.query(`UPDATE staff SET bus_id = 'B1' WHERE id = 'A1'`)
    }
  })
})
