import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureAdminAccount } from '../server/auth/ensure-admin-account.js'
import { lockMs } from '../server/core/auth/sign-in-staff.js'
import type { HttpApp } from '../server/http/create-http-app.js'
import type { Database } from '../server/core/store/database.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { openPgliteDatabase } from '../server/core/store/pglite-database.js'
import { createScenarioApi } from './support/call-api.js'
import { loadTwoSchoolsTwoBuses } from './scenarios/two-schools-two-buses.js'
import { settableClock } from './support/test-platform-parts.js'

/**
 * Staff sign-in and account administration through the HTTP API on PGlite, on a clock the test moves:
 * the first administrator's one-time password and forced change, the same answer for a wrong password
 * and an unknown user, the lockout and its end, the per-address limit, signing out, role changes and
 * disabling taking effect at the next request, and who may manage accounts and read the audit log.
 */
let db: Database
let app: HttpApp
const clock = settableClock(new Date('2026-03-02T00:00:00Z'))
const advance = (ms: number) => clock.set(new Date(clock.now().getTime() + ms))
let adminToken = ''
/** Each test signs in from its own address, so that the per-address limit is only met where tested. */
let address = 1
const nextAddress = () => `198.51.100.${address++}`

async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; ip?: string } = {},
) {
  const response = await app.request(path, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      'content-type': 'application/json',
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
      'x-forwarded-for': options.ip ?? '203.0.113.1',
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, body: (await response.json()) as Record<string, any> }
}

const signIn = (username: string, password: string, ip: string, newPassword?: string) =>
  call('POST', '/api/access/sign-in', { body: { username, password, newPassword }, ip })

/** A new account through the API, its one-time password replaced by `password`; answers its id and token. */
async function newAccount(body: Record<string, unknown>, password = 'a password of my own') {
  const created = await call('POST', '/api/accounts', { token: adminToken, body })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  const signedIn = await signIn(String(body.username), created.body.oneTimePassword, nextAddress(), password)
  expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200)
  return { id: created.body.account.id as string, token: signedIn.body.token as string }
}

const auditActions = async (target: string) =>
  (
    await db.query<{ action: string; detail: { reason?: string } }>(
      'SELECT action, detail FROM audit_log WHERE target = $1 ORDER BY id',
      [target],
    )
  ).map((row) => (row.detail.reason ? `${row.action}:${row.detail.reason}` : row.action))

beforeAll(async () => {
  db = await openPgliteDatabase()
  await migrateDatabase(db)
  await loadTwoSchoolsTwoBuses(db)
  ;({ app } = await createScenarioApi(db, clock, { trustProxy: true }))
})
afterAll(async () => {
  await db?.close()
})

describe('staff sign-in', () => {
  it('signs in the first administrator after the forced change of its one-time password', async () => {
    const first = await ensureAdminAccount({ db, clock })
    expect(first?.oneTimePassword).toBeTruthy()
    // Each start gives a fresh one while it is unused: the older one opens nothing.
    const again = await ensureAdminAccount({ db, clock })
    expect(again?.oneTimePassword).not.toBe(first?.oneTimePassword)
    const ip = nextAddress()
    expect((await signIn('admin', first!.oneTimePassword!, ip)).status).toBe(401)

    const asked = await signIn('admin', again!.oneTimePassword!, ip)
    expect(asked.status).toBe(409)
    expect(asked.body.error).toMatchObject({ code: 'conflict', field: 'body.newPassword' })
    const tooShort = await signIn('Admin', again!.oneTimePassword!, ip, 'short')
    expect(tooShort.body.error).toMatchObject({ code: 'bad_request', field: 'body.newPassword' })

    const signedIn = await signIn('ADMIN', again!.oneTimePassword!, ip, 'the administrator passphrase')
    expect(signedIn.status).toBe(200)
    expect(signedIn.body).toMatchObject({
      principal: { role: 'bureau', sub: 'admin', admin: true },
      mustChangePassword: false,
    })
    expect(Date.parse(signedIn.body.expiresAt) - clock.now().getTime()).toBe(12 * 3600_000)
    adminToken = signedIn.body.token
    const me = await call('GET', '/api/me', { token: adminToken })
    expect(me.body.principal).toEqual({ role: 'bureau', sub: 'admin', admin: true })
    expect(await ensureAdminAccount({ db, clock })).toEqual({ username: 'admin', oneTimePassword: null })
    const sessions = await call('GET', '/api/sessions?kind=staff', { token: adminToken })
    expect(sessions.body.sessions[0]).toMatchObject({
      label: 'Firefox on Linux',
      subjectName: 'admin (Administrator)',
    })
  })

  it('answers a wrong password and an unknown username the same way', async () => {
    const ip = nextAddress()
    const wrong = await signIn('admin', 'not the password', ip)
    const unknown = await signIn('nobody-here', 'not the password', ip)
    expect(wrong.status).toBe(401)
    expect(unknown).toEqual(wrong)
  })

  it('locks an account after five wrong passwords for 15 minutes, with the audit trail', async () => {
    const { id } = await newAccount({ username: 'dispatcher', displayName: '调度员', role: 'bureau' })
    // Five tries from five addresses: the lock is the account's, whatever the address.
    const answers = []
    for (let i = 0; i < 5; i++) answers.push(await signIn('dispatcher', `guess number ${i}`, nextAddress()))
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 423])
    const opensAt = new Date(clock.now().getTime() + lockMs).toISOString()
    expect(answers[4]!.body.error.code).toBe('account_locked')
    expect(answers[4]!.body.error.message).toContain(opensAt)
    // The right password is refused while locked, without pushing the end further.
    advance(10 * 60_000)
    const locked = await signIn('dispatcher', 'a password of my own', nextAddress())
    expect(locked.status).toBe(423)
    expect(locked.body.error.message).toContain(opensAt)
    expect((await call('GET', `/api/accounts`, { token: adminToken })).body.accounts).toContainEqual(
      expect.objectContaining({ id, username: 'dispatcher', lockedUntil: opensAt }),
    )
    advance(5 * 60_000)
    expect((await signIn('dispatcher', 'a password of my own', nextAddress())).status).toBe(200)
    expect(await auditActions('dispatcher')).toEqual([
      'account_created',
      'password_changed',
      'sign_in',
      ...Array(5).fill('sign_in_failed:wrong_password'),
      'account_locked',
      'sign_in_failed:locked',
      'sign_in',
    ])
  })

  it('limits the attempts of one address, whatever the accounts it tries', async () => {
    const ip = nextAddress()
    const statuses = []
    for (let i = 0; i < 12; i++) statuses.push((await signIn(`someone${i}`, 'not a password', ip)).status)
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401))
    expect(statuses.slice(10)).toEqual([429, 429])
    // Another address is not held back, and this one gets attempts back as the minute passes.
    expect((await signIn('someone', 'not a password', nextAddress())).status).toBe(401)
    advance(6_000)
    expect((await signIn('someone', 'not a password', ip)).status).toBe(401)
    expect((await signIn('someone', 'not a password', ip)).status).toBe(429)
  })

  it('ends the session at sign-out: the next request is refused', async () => {
    const signedIn = await signIn('admin', 'the administrator passphrase', nextAddress())
    const token = signedIn.body.token
    expect((await call('GET', '/api/me', { token })).status).toBe(200)
    expect((await call('POST', '/api/access/sign-out', { token })).body).toEqual({ ended: true })
    expect((await call('GET', '/api/me', { token })).status).toBe(401)
    expect((await call('GET', '/api/me', { token: adminToken })).status).toBe(200)
    expect(await auditActions('admin')).toContain('sign_out')
  })

  it('changes one’s own password, with the current one checked', async () => {
    const { token } = await newAccount({ username: 'changer', displayName: 'C', role: 'bureau' })
    const wrong = await call('POST', '/api/access/password', {
      token,
      body: { currentPassword: 'not it', newPassword: 'a brand new password' },
    })
    expect(wrong.body.error).toMatchObject({ code: 'bad_request', field: 'body.currentPassword' })
    const changed = await call('POST', '/api/access/password', {
      token,
      body: { currentPassword: 'a password of my own', newPassword: 'a brand new password' },
    })
    expect(changed.status).toBe(200)
    expect((await call('GET', '/api/me', { token })).status).toBe(200)
    expect((await signIn('changer', 'a brand new password', nextAddress())).status).toBe(200)
  })
})

describe('account administration', () => {
  it('applies a role change at the next request of a signed-in account', async () => {
    const { id, token } = await newAccount({ username: 'planner.li', displayName: '李', role: 'bureau' })
    expect((await call('GET', '/api/audit', { token })).status).toBe(200)
    const changed = await call('PATCH', `/api/accounts/${id}`, {
      token: adminToken,
      body: { role: 'school', schoolCode: 'S1' },
    })
    expect(changed.status, JSON.stringify(changed.body)).toBe(200)
    expect(changed.body.before).toMatchObject({ role: 'bureau', schoolId: null })
    expect(changed.body.after).toMatchObject({ role: 'school', schoolId: 'S1' })
    expect((await call('GET', '/api/me', { token })).body.principal).toEqual({
      role: 'school',
      sub: 'planner.li',
      schoolId: 'S1',
    })
    // A school may not read the audit log.
    expect((await call('GET', '/api/audit', { token })).status).toBe(403)
    const [entry] = (
      await call('GET', '/api/audit?action=account_changed&actor=admin&limit=1', { token: adminToken })
    ).body.entries
    expect(entry).toMatchObject({
      target: 'planner.li',
      detail: { before: { role: 'bureau', schoolId: null }, after: { role: 'school', schoolId: 'S1' } },
    })
  })

  it('ends the sessions of a disabled account', async () => {
    const { id, token } = await newAccount({ username: 'leaving', displayName: 'L', role: 'bureau' })
    const disabled = await call('PATCH', `/api/accounts/${id}`, {
      token: adminToken,
      body: { disabled: true },
    })
    expect(disabled.body.after.disabledAt).toBeTruthy()
    expect((await call('GET', '/api/me', { token })).status).toBe(401)
    expect((await signIn('leaving', 'a password of my own', nextAddress())).status).toBe(403)
  })

  it('resets a password: shown once, the old sessions ended', async () => {
    const { id, token } = await newAccount({ username: 'forgot', displayName: 'F', role: 'bureau' })
    const reset = await call('POST', `/api/accounts/${id}/reset-password`, { token: adminToken })
    expect(reset.body.oneTimePassword).toMatch(/^\w{14}$/)
    expect((await call('GET', '/api/me', { token })).status).toBe(401)
    expect((await signIn('forgot', reset.body.oneTimePassword, nextAddress())).status).toBe(409)
  })

  it('refuses the account routes to anyone but an administrator of the bureau', async () => {
    const { id, token } = await newAccount({ username: 'plain.bureau', displayName: 'P', role: 'bureau' })
    const school = await newAccount({
      username: 'head.s2',
      displayName: 'H',
      role: 'school',
      schoolCode: 'S2',
    })
    for (const caller of [token, school.token]) {
      expect((await call('GET', '/api/accounts', { token: caller })).status).toBe(403)
      expect(
        (
          await call('POST', '/api/accounts', {
            token: caller,
            body: { username: 'x', displayName: 'x', role: 'bureau' },
          })
        ).status,
      ).toBe(403)
      expect(
        (await call('PATCH', `/api/accounts/${id}`, { token: caller, body: { admin: true } })).status,
      ).toBe(403)
      expect((await call('POST', `/api/accounts/${id}/reset-password`, { token: caller })).status).toBe(403)
      expect(
        (await call('DELETE', `/api/sessions?owner=account:${id}`, { token: caller, body: { reason: 'x' } }))
          .status,
      ).toBe(403)
    }
    expect((await call('GET', '/api/sessions', { token: school.token })).status).toBe(403)
    expect((await call('GET', '/api/sessions', { token })).status).toBe(200)
  })

  it('lets an administrator end one session with a reason, or all of an owner', async () => {
    const { id, token } = await newAccount({ username: 'two.phones', displayName: 'T', role: 'bureau' })
    advance(1000)
    const second = (await signIn('two.phones', 'a password of my own', nextAddress())).body.token as string
    const listed = await call('GET', `/api/sessions?owner=account:${id}`, { token: adminToken })
    expect(listed.body.sessions).toHaveLength(2)
    const [newest] = listed.body.sessions
    expect(newest.owner).toBe(`account:${id}`)
    const ended = await call('DELETE', `/api/sessions/${newest.id}`, {
      token: adminToken,
      body: { reason: 'phone lost' },
    })
    expect(ended.body).toEqual({ ended: true })
    expect((await call('GET', '/api/me', { token: second })).status).toBe(401)
    expect((await call('GET', '/api/me', { token })).status).toBe(200)
    const all = await call('DELETE', `/api/sessions?owner=account:${id}`, {
      token: adminToken,
      body: { reason: 'left the bureau' },
    })
    expect(all.body.ended).toHaveLength(1)
    expect((await call('GET', '/api/me', { token })).status).toBe(401)
    const withEnded = await call('GET', `/api/sessions?owner=account:${id}&includeEnded=true`, {
      token: adminToken,
    })
    expect(withEnded.body.sessions.map((s: { revokeReason: string }) => s.revokeReason).sort()).toEqual([
      'left the bureau',
      'phone lost',
    ])
    expect(await auditActions(`session:${newest.id}`)).toEqual(['session_revoked:phone lost'])
    expect(await auditActions(`account:${id}`)).toEqual(['session_revoked:left the bureau'])
  })

  it('pages the audit log newest first', async () => {
    const first = await call('GET', '/api/audit?limit=3', { token: adminToken })
    expect(first.body.entries).toHaveLength(3)
    const ids = first.body.entries.map((e: { id: number }) => e.id)
    expect(ids).toEqual([...ids].sort((a, b) => b - a))
    const next = await call('GET', `/api/audit?limit=3&before=${first.body.nextBefore}`, {
      token: adminToken,
    })
    expect(next.body.entries[0].id).toBeLessThan(ids[2])
    expect((await call('GET', '/api/audit?action=nothing', { token: adminToken })).status).toBe(400)
  })
})
