import type { Page } from 'playwright-core'
import { staffSessionKey } from '../../web/shared/staff-session.js'

/**
 * Opens a staff page as someone signed in: the session's token put where the sign-in page leaves
 * it (the site's localStorage), then the page itself. Staff tokens never travel in addresses.
 */
export async function openAsStaff(page: Page, origin: string, path: string, token: string): Promise<void> {
  await page.goto(`${origin}/sign-in`)
  await page.evaluate(([key, value]) => localStorage.setItem(key, value), [staffSessionKey, token] as const)
  await page.goto(`${origin}${path}`)
}
