import { AccessRefused, ApiRejected } from '../shared/api-client.js'
import type { Lang } from '../shared/language.js'
import { describeRefusal } from '../shared/refusal-text.js'
import type { RegistersApi } from './registers-api.js'
import type { Sheet } from './registers-contract.js'
import type { RegistersText } from './registers-text.js'

/** What each part of the page shares: the API, the sheets the caller may use, the words. */
export interface PageContext {
  api: RegistersApi
  role: 'bureau' | 'school'
  sheets: Sheet[]
  lang(): Lang
  t(): RegistersText
  /** The sheet's name in the page's language. */
  sheetName(sheet: Sheet): string
  /** A failure the page cannot go on from (an expired link), or one to show. */
  fail(error: unknown): void
  /** After a write: the counts, the table and the change log are read again. */
  changed(): void
}

/**
 * A failure as one line for the person: what the server said no to, in the page's words (by its
 * reason, else its code, else the generic words of its status); a network or server failure as
 * such. Access refusals are the page's to handle (its error page), and are answered undefined.
 */
export function failureMessage(error: unknown, t: RegistersText): string | undefined {
  if (error instanceof AccessRefused) return undefined
  if (error instanceof ApiRejected)
    return describeRefusal(error, { reasons: t.refusals, codes: t.failures }, t.lang)
  return t.failures.network
}
