import { AccessRefused } from './api-client.js'

/** Where a staff page keeps the session its holder signed in with (localStorage, never the address). */
export const staffSessionKey = 'staff.session'

export const signInPath = '/sign-in'

/**
 * The page to go to after signing in: a path of this site only (`/registers?x#y`), so that a crafted
 * sign-in link cannot send a person on to another site with their fresh session. Anything else is null.
 */
export function safeNextPath(next: string | null, origin: string): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null
  let url: URL
  try {
    url = new URL(next, origin)
  } catch {
    return null
  }
  if (url.origin !== origin || url.pathname === signInPath) return null
  return `${url.pathname}${url.search}${url.hash}`
}

/** The sign-in page's address, to come back to `next` afterwards. */
export const signInAddress = (next: string) => `${signInPath}?next=${encodeURIComponent(next)}`

const currentPath = () => `${location.pathname}${location.search}${location.hash}`

/** Forgets the stored session and sends the browser to sign in, to come back here afterwards. */
export function goToSignIn(): void {
  localStorage.removeItem(staffSessionKey)
  location.replace(signInAddress(currentPath()))
}

/** The stored staff session's token; without one, the browser is sent to sign in and null is answered. */
export function readStaffToken(): string | null {
  const token = localStorage.getItem(staffSessionKey)?.trim() || null
  if (!token) goToSignIn()
  return token
}

export function storeStaffToken(token: string): void {
  localStorage.setItem(staffSessionKey, token)
}

/**
 * A failure that means the session is over (expired, ended, the account disabled): the page sends
 * the browser to sign in again rather than showing an error. True when it did.
 */
export function signInAgainIf(error: unknown): boolean {
  if (!(error instanceof AccessRefused) || error.kind !== 'unauthenticated') return false
  goToSignIn()
  return true
}

/** Ends the session on the server (as far as it can be reached), forgets it here, and goes to sign in. */
export async function signOut(): Promise<void> {
  const token = localStorage.getItem(staffSessionKey)
  if (token) {
    await fetch('/api/access/sign-out', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(5000),
    }).catch(() => undefined)
  }
  localStorage.removeItem(staffSessionKey)
  location.replace(`${signInPath}?signedOut=1`)
}

/** A sign-out link in a page's header: a button that looks like a link. */
export function wireSignOut(button: HTMLElement): void {
  button.addEventListener('click', () => void signOut())
}
