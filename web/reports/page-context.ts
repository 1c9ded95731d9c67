import type { Lang } from '../shared/language.js'
import { describeRefusal, refusalOf } from '../shared/refusal-text.js'
import type { ReportsApi } from './reports-api.js'
import type { Compliance } from './reports-contract.js'
import type { ReportsText } from './reports-text.js'

/** What both tabs of the page share. */
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
 * A failure as one line for the person, in the page's words: by the server's reason, then its code,
 * then its status; no answer at all as such. The server's English message is never shown.
 */
export function failureText(error: unknown, t: ReportsText): string {
  const refusal = refusalOf(error)
  return refusal.status === 0 ? t.network : describeRefusal(refusal, t.refusals, t.lang)
}
