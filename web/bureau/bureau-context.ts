import { AccessRefused, ApiRejected } from '../shared/api-client.js'
import type { Lang } from '../shared/language.js'
import { alarmInboxRefusalText, describeRefusal, refusalOf } from '../shared/refusal-text.js'
import type { BureauApi } from './bureau-api.js'
import type { FleetState } from './bureau-contract.js'
import type { BureauText } from './bureau-text.js'
import type { FleetMap } from './fleet-map.js'

/** What the console's views share. */
export interface BureauContext {
  api: BureauApi
  /** Who is signed in: the bureau works every case, a school its buses' cases that are not critical. */
  role: 'bureau' | 'school'
  me: string
  lang(): Lang
  t(): BureauText
  map: FleetMap
  /** The fleet as last read; null before the first answer. */
  fleet(): FleetState | null
  /** The server's clock now, which trips and reports run on (it may differ from this computer's). */
  serverNowMs(): number
  /** A line above the page: what was done, or what went wrong. */
  tell(message: string | null, kind?: 'done' | 'error'): void
  /** A failure: the end of the session (to sign in again), or one to show. */
  fail(error: unknown): void
  /** Shows one bus in the detail panel (and its track on the map). */
  openBus(busId: string): void
  /** Shows one alarm case in the detail panel. */
  openCase(id: number): void
}

/** A failure as one line in the page's words: the inbox's reasons, then the code, then the status. */
export function failureText(error: unknown, t: BureauText): string {
  if (!(error instanceof ApiRejected) && !(error instanceof AccessRefused)) return t.network
  return describeRefusal(
    refusalOf(error),
    { reasons: alarmInboxRefusalText[t.lang], codes: t.refusalCodes },
    t.lang,
  )
}

const cixiOffsetMs = 8 * 3600_000

/** 'HH:MM:SS' in Cixi, whatever the computer's own time zone. */
export function cixiClock(ms: number): string {
  return new Date(ms + cixiOffsetMs).toISOString().slice(11, 19)
}

/** A school's or town's name in the page's language, its Chinese one where it has no other. */
export function placeName(
  place: { nameZh: string; nameEn: string | null } | undefined,
  lang: Lang,
  id: string,
) {
  if (!place) return id
  return lang === 'en' && place.nameEn ? place.nameEn : place.nameZh
}
