import { describe, expect, it } from 'vitest'
import {
  chosenPassword,
  officeBrowser as origin,
  useStaffAccountStore,
  rootAdmin as admin,
} from '../../../test/support/staff-account-store.js'

const storeOf = useStaffAccountStore(new Date('2025-03-03T08:00:00Z'))

describe('account administration', () => {
  it('creates an account lower-cased, bound to its school, with a one-time password to replace', async () => {
    const { accounts, staff, sessions, clock } = storeOf()
    const { account, oneTimePassword } = await accounts.create(
      { username: ' Head.S1 ', displayName: '校长', role: 'school', schoolCode: 'S1' },
      admin,
    )
    expect(account).toMatchObject({ username: 'head.s1', role: 'school', schoolId: 'S1', admin: false })
    expect(account.mustChangePassword).toBe(true)
    await expect(
      staff.signIn({ username: 'HEAD.S1', password: oneTimePassword }, origin),
    ).rejects.toMatchObject({
      code: 'conflict',
      field: 'body.newPassword',
    })
    await expect(
      staff.signIn({ username: 'head.s1', password: oneTimePassword, newPassword: 'head.s1' }, origin),
    ).rejects.toMatchObject({ code: 'bad_request', field: 'body.newPassword' })
    await expect(
      staff.signIn({ username: 'head.s1', password: oneTimePassword, newPassword: 'short' }, origin),
    ).rejects.toMatchObject({ code: 'bad_request', field: 'body.newPassword' })
    const signedIn = await staff.signIn(
      { username: 'head.s1', password: oneTimePassword, newPassword: 'a long enough one' },
      origin,
    )
    expect(signedIn.principal).toEqual({ role: 'school', sub: 'head.s1', schoolId: 'S1' })
    expect(signedIn.expiresAt.getTime() - clock.now().getTime()).toBe(12 * 3600_000)
    expect((await sessions.verify(signedIn.token)).principal).toEqual(signedIn.principal)
    const [listed] = await sessions.list({ owner: { accountId: account.id } })
    expect(listed?.label).toBe('Chrome on Windows')
    // The one-time password is spent.
    await expect(
      staff.signIn({ username: 'head.s1', password: oneTimePassword }, origin),
    ).rejects.toMatchObject({
      code: 'unauthenticated',
    })
    expect((await storeOf().auditTrail('head.s1')).map((a) => a.action)).toEqual([
      'account_created',
      'password_changed',
      'sign_in',
      'sign_in_failed',
    ])
  })

  it('refuses an unknown school, a school administrator and a taken username', async () => {
    const { accounts } = storeOf()
    await expect(
      accounts.create({ username: 'x1', displayName: 'x', role: 'school', schoolCode: 'nope' }, admin),
    ).rejects.toMatchObject({ code: 'bad_request', field: 'body.schoolCode' })
    await expect(
      accounts.create(
        { username: 'x1', displayName: 'x', role: 'school', schoolCode: 'S1', admin: true },
        admin,
      ),
    ).rejects.toMatchObject({ code: 'bad_request', field: 'body.admin' })
    await accounts.create({ username: 'x1', displayName: 'x', role: 'bureau' }, admin)
    await expect(
      accounts.create({ username: 'X1', displayName: 'y', role: 'bureau' }, admin),
    ).rejects.toMatchObject({ code: 'conflict', field: 'body.username' })
  })

  it('changes role, school and admin with before and after in the audit, effective at the next use', async () => {
    const { accounts, staff, sessions } = storeOf()
    const account = await storeOf().readyAccount('mover')
    const { token } = await staff.signIn({ username: 'mover', password: chosenPassword }, origin)
    const { before, after } = await accounts.change(account.id, { role: 'school', schoolCode: 'S1' }, admin)
    expect(before).toMatchObject({ role: 'bureau', schoolId: null })
    expect(after).toMatchObject({ role: 'school', schoolId: 'S1', admin: false })
    expect((await sessions.verify(token)).principal).toEqual({ role: 'school', sub: 'mover', schoolId: 'S1' })
    await accounts.change(account.id, { role: 'bureau', admin: true, displayName: '调度' }, admin)
    expect((await sessions.verify(token)).principal).toEqual({ role: 'bureau', sub: 'mover', admin: true })
    const changes = (await storeOf().auditTrail('mover')).filter((a) => a.action === 'account_changed')
    expect(changes[0]).toMatchObject({
      before: { role: 'bureau', schoolId: null },
      after: { role: 'school', schoolId: 'S1' },
    })
    expect(changes[1]).toMatchObject({
      before: { role: 'school', schoolId: 'S1', admin: false, displayName: 'mover' },
      after: { role: 'bureau', schoolId: null, admin: true, displayName: '调度' },
    })
    await expect(accounts.change(account.id, { role: 'school' }, admin)).rejects.toMatchObject({
      field: 'body.schoolCode',
    })
    await expect(accounts.change(account.id, { schoolCode: 'S1' }, admin)).rejects.toMatchObject({
      field: 'body.schoolCode',
    })
    // The same settings again change nothing, and nothing is written to the audit log.
    const unchanged = await accounts.change(account.id, { displayName: ' 调度 ' }, admin)
    expect(unchanged.after).toBe(unchanged.before)
    expect((await storeOf().auditTrail('mover')).filter((a) => a.action === 'account_changed')).toHaveLength(
      2,
    )
  })

  it('ends the sessions of a disabled account and refuses its sign-in', async () => {
    const { accounts, staff, sessions } = storeOf()
    const account = await storeOf().readyAccount('leaver')
    const { token } = await staff.signIn({ username: 'leaver', password: chosenPassword }, origin)
    await accounts.disable(account.id, admin)
    await expect(sessions.verify(token)).rejects.toMatchObject({ code: 'unauthenticated' })
    await expect(
      staff.signIn({ username: 'leaver', password: chosenPassword }, origin),
    ).rejects.toMatchObject({ code: 'forbidden' })
    await accounts.enable(account.id, admin)
    await expect(
      staff.signIn({ username: 'leaver', password: chosenPassword }, origin),
    ).resolves.toMatchObject({ principal: { sub: 'leaver' } })
  })

  it('resets a password: a new one-time password, the sessions ended', async () => {
    const { accounts, staff, sessions } = storeOf()
    const account = await storeOf().readyAccount('forgetful')
    const { token } = await staff.signIn({ username: 'forgetful', password: chosenPassword }, origin)
    const { oneTimePassword, account: reset } = await accounts.resetPassword(account.id, admin)
    expect(reset.mustChangePassword).toBe(true)
    await expect(sessions.verify(token)).rejects.toMatchObject({ code: 'unauthenticated' })
    await expect(
      staff.signIn({ username: 'forgetful', password: chosenPassword }, origin),
    ).rejects.toMatchObject({ code: 'unauthenticated' })
    await expect(
      staff.signIn(
        { username: 'forgetful', password: oneTimePassword, newPassword: 'my new passphrase' },
        origin,
      ),
    ).resolves.toMatchObject({ mustChangePassword: false })
    expect((await storeOf().auditTrail('forgetful')).map((a) => a.action)).toContain('password_reset')
  })

  it('keeps one active administrator at least', async () => {
    const { accounts, db } = storeOf()
    const { account } = await accounts.create(
      { username: 'only.admin', displayName: 'a', role: 'bureau', admin: true },
      admin,
    )
    const others = await db.query<{ id: string }>(
      `SELECT id FROM staff_accounts WHERE is_admin AND id <> $1`,
      [account.id],
    )
    for (const other of others) await accounts.change(other.id, { admin: false }, admin)
    await expect(accounts.change(account.id, { admin: false }, admin)).rejects.toMatchObject({
      code: 'conflict',
    })
    await expect(accounts.disable(account.id, admin)).rejects.toMatchObject({ code: 'conflict' })
    await expect(accounts.disable(account.id, { actor: 'only.admin' })).rejects.toMatchObject({
      code: 'conflict',
    })
  })
})
