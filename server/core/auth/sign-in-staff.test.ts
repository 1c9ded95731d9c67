import { describe, expect, it } from 'vitest'
import {
  chosenPassword,
  officeBrowser as origin,
  useStaffAccountStore,
} from '../../../test/support/staff-account-store.js'
import { lockMs } from './sign-in-staff.js'

const storeOf = useStaffAccountStore(new Date('2025-03-03T08:00:00Z'))

describe('staff sign-in', () => {
  it('answers a wrong password and an unknown username alike, and locks after five failures', async () => {
    const { staff, db, clock } = storeOf()
    await storeOf().readyAccount('lock.me')
    const unknown = await staff
      .signIn({ username: 'nobody', password: 'whatever1234' }, origin)
      .catch((e) => e)
    const wrong = await staff
      .signIn({ username: 'lock.me', password: 'whatever1234' }, origin)
      .catch((e) => e)
    expect(wrong).toMatchObject({ code: 'unauthenticated' })
    expect(unknown.message).toBe(wrong.message)
    for (let i = 2; i <= 4; i++) {
      await expect(
        staff.signIn({ username: 'lock.me', password: `wrong${i}wrong` }, origin),
      ).rejects.toMatchObject({ code: 'unauthenticated' })
    }
    const locked = await staff
      .signIn({ username: 'lock.me', password: 'wrong5wrong' }, origin)
      .catch((e) => e)
    expect(locked).toMatchObject({ code: 'account_locked', status: 423 })
    const opensAt = new Date(clock.now().getTime() + lockMs).toISOString()
    expect(locked.message).toContain(opensAt)
    // Even the right password waits, and trying does not push the end of the lock further.
    storeOf().advance(lockMs - 60_000)
    const still = await staff
      .signIn({ username: 'lock.me', password: chosenPassword }, origin)
      .catch((e) => e)
    expect(still).toMatchObject({ code: 'account_locked' })
    expect(still.message).toContain(opensAt)
    storeOf().advance(60_000)
    await expect(
      staff.signIn({ username: 'lock.me', password: chosenPassword }, origin),
    ).resolves.toMatchObject({ principal: { role: 'bureau', sub: 'lock.me' } })
    const trail = await storeOf().auditTrail('lock.me')
    expect(trail.filter((a) => a.action === 'account_locked')).toHaveLength(1)
    expect(trail.filter((a) => a.action === 'sign_in_failed').map((a) => a.reason)).toEqual([
      'wrong_password',
      'wrong_password',
      'wrong_password',
      'wrong_password',
      'wrong_password',
      'locked',
    ])
    const [failure] = await db.query<{ detail: { reason: string } }>(
      `SELECT detail FROM audit_log WHERE action = 'sign_in_failed' AND actor = 'nobody'`,
    )
    expect(failure?.detail.reason).toBe('unknown_username')
  })

  it('starts the count again after a success', async () => {
    const { staff } = storeOf()
    await storeOf().readyAccount('counter')
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++)
        await expect(
          staff.signIn({ username: 'counter', password: 'nope nope nope' }, origin),
        ).rejects.toMatchObject({ code: 'unauthenticated' })
      await staff.signIn({ username: 'counter', password: chosenPassword }, origin)
    }
  })

  it('changes a password, ending the other sessions but the one in use', async () => {
    const { staff, sessions } = storeOf()
    const account = await storeOf().readyAccount('changer')
    const first = await staff.signIn({ username: 'changer', password: chosenPassword }, origin)
    const second = await staff.signIn({ username: 'changer', password: chosenPassword }, origin)
    await expect(
      staff.changePassword(
        { accountId: account.id, currentPassword: 'not it at all', newPassword: 'another long one' },
        origin,
      ),
    ).rejects.toMatchObject({ field: 'body.currentPassword' })
    await staff.changePassword(
      {
        accountId: account.id,
        currentPassword: chosenPassword,
        newPassword: 'another long one',
        keepSessionId: second.sessionId,
      },
      origin,
    )
    await expect(sessions.verify(first.token)).rejects.toMatchObject({ code: 'unauthenticated' })
    await expect(sessions.verify(second.token)).resolves.toMatchObject({ kind: 'staff' })
    await expect(
      staff.signIn({ username: 'changer', password: 'another long one' }, origin),
    ).resolves.toMatchObject({ principal: { sub: 'changer' } })
    expect((await storeOf().auditTrail('changer')).at(-2)).toMatchObject({
      action: 'password_changed',
      sessionsEnded: 2,
    })
  })

  it('signs out the session in use only', async () => {
    const { staff, sessions } = storeOf()
    const account = await storeOf().readyAccount('leaving.now')
    const kept = await staff.signIn({ username: 'leaving.now', password: chosenPassword }, origin)
    const ending = await staff.signIn({ username: 'leaving.now', password: chosenPassword }, origin)
    expect(await staff.accountOfSession(ending.sessionId)).toBe(account.id)
    expect(await staff.signOut(ending.sessionId, { actor: 'leaving.now', ...origin })).toBe(true)
    expect(await staff.signOut(ending.sessionId, { actor: 'leaving.now', ...origin })).toBe(false)
    await expect(sessions.verify(ending.token)).rejects.toMatchObject({ code: 'unauthenticated' })
    await expect(sessions.verify(kept.token)).resolves.toMatchObject({ kind: 'staff' })
    expect((await storeOf().auditTrail('leaving.now')).filter((a) => a.action === 'sign_out')).toEqual([
      { action: 'sign_out', sessionId: ending.sessionId },
    ])
  })
})
