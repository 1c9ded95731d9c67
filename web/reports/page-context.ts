import type { Lang } from '../shared/language.js'
import { describeRefusal, refusalOf } from '../shared/refusal-text.js'
import type { ReportsApi } from './reports-api.js'
import type { Compliance } from './reports-contract.js'
import type { ReportsText } from './reports-text.js'

/** What the page's tabs share. */
export interface PageContext {
  api: ReportsApi
  role: 'bureau' | 'school'
  lang(): Lang
  t(): ReportsText
  /** Today in Cixi by the server's clock: reports and the register are dated by it, not the browser's. */
  today: string
  /** Today's compliance register, once read: the reports mark the buses and drivers out of it. */
  compliance(): Compliance | null
}

/**
 * A failure as one line for the person, in the page's words: by the server's reason, then its code
 * (a tab's own `codes` before the page's), then its status; no answer at all as such. The server's
 * English message is never shown.
 */
export function failureText(
  error: unknown,
  t: ReportsText,
  codes: Readonly<Partial<Record<string, string>>> = {},
): string {
  const refusal = refusalOf(error)
  if (refusal.status === 0) return t.network
  return describeRefusal(
    refusal,
    { reasons: t.refusals.reasons, codes: { ...t.refusals.codes, ...codes } },
    t.lang,
  )
}
