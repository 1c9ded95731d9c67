import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Clock } from '../core/clock/clock.js'
import type { Queryable } from '../core/store/database.js'
import type { AccessTokens } from '../core/auth/access-tokens.js'
import { nextParentLink } from './next-parent-link.js'

/** Long enough to try the pages after starting; `npm run tokens` gives longer-lived ones. */
export const startLinkTtlS = 3600

/**
 * Writes links to the parent page, the line planner and the registers, with short-lived tokens, to a file in the
 * data folder that only the owner can read, and returns its path. Tokens never go to the console,
 * whose output ends up in logs that others read.
 */
export async function writeStartLinks(deps: {
  db: Queryable
  tokens: AccessTokens
  clock: Clock
  httpUrl: string
  dataDir: string
}): Promise<string> {
  const parentLink = await nextParentLink({ ...deps, ttlS: startLinkTtlS })
  const plannerToken = await deps.tokens.issue(
    { role: 'bureau', sub: 'bureau-admin' },
    { ttlS: startLinkTtlS },
  )
  const expires = new Date(deps.clock.now().getTime() + startLinkTtlS * 1000).toISOString()
  const text = [
    `# Links to try the pages, valid until ${expires}. Keep them to yourself: each token opens the page.`,
    `parent (a child on the next trip today): ${parentLink ?? 'no trip left today'}`,
    `line planner (transport bureau): ${deps.httpUrl}/planner#token=${plannerToken}`,
    `registers (transport bureau): ${deps.httpUrl}/registers#token=${plannerToken}`,
    '',
  ].join('\n')
  const file = path.join(deps.dataDir, 'start-links.txt')
  // Written beside and renamed over, so the file is never readable by others, not even for a moment
  // when an older copy with wider permissions is there.
  const draft = `${file}.${randomBytes(6).toString('hex')}`
  await fs.mkdir(deps.dataDir, { recursive: true })
  await fs.writeFile(draft, text, { mode: 0o600, flag: 'wx' })
  await fs.rename(draft, file)
  return file
}
