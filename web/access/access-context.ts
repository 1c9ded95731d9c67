import { AccessRefused, ApiRejected } from '../shared/api-client.js'
import type { Lang } from '../shared/language.js'
import { describeRefusal } from '../shared/refusal-text.js'
import type { AccessApi } from './access-api.js'
import type { AccessText } from './access-text.js'
import type { Dialogs } from './dialogs.js'

/** What each tab of the page shares. */
export interface AccessContext {
  api: AccessApi
  /** An administrator of the bureau: may change accounts and end sessions; others only read. */
  admin: boolean
  /** The signed-in username. */
  me: string
  lang(): Lang
  t(): AccessText
  dialogs: Dialogs
  /** A line above the page: what was done, or what went wrong. */
  tell(message: string | null, kind?: 'done' | 'error'): void
  /** A failure: the end of the session (to sign in again), or one to show. */
  fail(error: unknown): void
}

/** A failure as one line for the person, in the page's words: by the server's reason, then its code. */
export function failureText(error: unknown, t: AccessText): string {
  if (error instanceof ApiRejected) return describeRefusal(error, t.refusals, t.lang)
  if (error instanceof AccessRefused) return t.refusals.codes[error.kind]
  return t.network
}
