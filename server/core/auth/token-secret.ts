import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'

/**
 * The secret that signs access tokens: TOKEN_SECRET when set, otherwise one generated on first start
 * and kept under the data folder (readable by the owner only), so tokens survive restarts.
 */
export async function resolveTokenSecret(options: { configured?: string; dataDir: string }): Promise<string> {
  if (options.configured) return options.configured
  const file = path.join(options.dataDir, 'token-secret')
  await fs.mkdir(options.dataDir, { recursive: true })
  try {
    await fs.writeFile(file, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  return (await fs.readFile(file, 'utf8')).trim()
}
