import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Clock } from '../core/clock/clock.js'
import type { Database } from '../core/store/database.js'
import type { AccessTokens } from '../core/auth/access-tokens.js'
import { ensureAdminAccount } from './ensure-admin-account.js'
import { nextAttendantLink } from './next-attendant-link.js'
import { nextParentLink } from './next-parent-link.js'

/** Long enough to try the parent page after starting; `npm run tokens` gives longer-lived ones. */
export const startLinkTtlS = 3600

/**
 * Writes how to come in to a file in the data folder that only the owner can read, and returns its
 * path: the staff sign-in page with the first administrator's one-time password (while it is
 * unused), the staff pages' addresses, and in the demo a link to the parent page with a short-lived
 * token. Passwords and tokens never go to the console, whose output ends up in logs that others read.
 */
export async function writeStartLinks(deps: {
  db: Database
  tokens: AccessTokens
  clock: Clock
  httpUrl: string
  dataDir: string
  /** The demo's world: a parent's link is for trying the page, never for a real family's child. */
  withParentLink?: boolean
}): Promise<string> {
  const admin = await ensureAdminAccount(deps)
  const adminLines = !admin
    ? ['administrators: the accounts the bureau made (npm run accounts:admin -- --username NAME adds one)']
    : admin.oneTimePassword
      ? [
          `administrator: ${admin.username}`,
          `one-time password: ${admin.oneTimePassword}  (choose your own at the first sign-in; until then each start writes a new one here)`,
        ]
      : [
          `administrator: ${admin.username}  (its one-time password was used; if the password is lost: npm run accounts:admin -- --username ${admin.username})`,
        ]
  const lines = [
    '# How to come in. Keep this file to yourself: the one-time password opens the administrator account.',
    `front door: ${deps.httpUrl}/`,
    `sign-in page (staff): ${deps.httpUrl}/sign-in`,
    ...adminLines,
    `fleet console and alarm inbox (transport bureau, schools): ${deps.httpUrl}/bureau`,
    `registers (transport bureau, schools): ${deps.httpUrl}/registers`,
    `line planner (transport bureau): ${deps.httpUrl}/planner`,
    `reports and compliance (transport bureau, schools): ${deps.httpUrl}/reports`,
    `enrolment letters (transport bureau, schools): ${deps.httpUrl}/letters`,
    `accounts, sessions and audit log (transport bureau): ${deps.httpUrl}/access`,
    `API reference: ${deps.httpUrl}/api/docs`,
  ]
  if (deps.withParentLink !== false) {
    const link = { ...deps, ttlS: startLinkTtlS }
    const [parentLink, attendantLink] = [await nextParentLink(link), await nextAttendantLink(link)]
    const expires = new Date(deps.clock.now().getTime() + startLinkTtlS * 1000).toISOString()
    lines.push(
      `# Links to try the parent and attendant pages, valid until ${expires}: their tokens open the pages.`,
      `parent (a child on the next trip today): ${parentLink ?? 'no trip left today'}`,
      `attendant (the bus of the next trip today): ${attendantLink ?? 'no trip left today'}`,
    )
  }
  const file = path.join(deps.dataDir, 'start-links.txt')
  // Written beside and renamed over, so the file is never readable by others, not even for a moment
  // when an older copy with wider permissions is there.
  const draft = `${file}.${randomBytes(6).toString('hex')}`
  await fs.mkdir(deps.dataDir, { recursive: true })
  await fs.writeFile(draft, `${lines.join('\n')}\n`, { mode: 0o600, flag: 'wx' })
  await fs.rename(draft, file)
  return file
}
