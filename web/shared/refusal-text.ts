import { AccessRefused, ApiRejected, type RefusalDetails } from './api-client.js'
import type { AppErrorReason } from '../../server/core/errors/app-error.js'
import type { Lang } from './language.js'

/**
 * A refusal as a page receives it: the HTTP status, and the code, reason and details of its body
 * if it had them.
 */
export interface Refusal {
  status: number
  code?: string | null
  reason?: string | null
  details?: RefusalDetails | null
}

/**
 * A reason's words: fixed, or made from the refusal's details (the plate of the bus a child rides),
 * which must read well without them too, since an older server or another case may send none.
 */
export type ReasonWords = string | ((details: RefusalDetails) => string)

/**
 * A page's words for the refusals it can meet, by the server's `reason` and by its `code`. The
 * server's English message is never among them: it is for support, not for the person.
 */
export interface RefusalWords {
  reasons: Readonly<Partial<Record<string, ReasonWords>>>
  codes: Readonly<Partial<Record<string, string>>>
}

/** What any page says of a refusal it has no words of its own for, by its status. */
export type GenericRefusal =
  'refused' | 'forbidden' | 'not_found' | 'conflict' | 'too_large' | 'rate_limited' | 'unavailable'

export const genericRefusalText: Record<Lang, Record<GenericRefusal, string>> = {
  zh: {
    refused: '服务器未接受这项操作，请检查后再试',
    forbidden: '没有权限这样做',
    not_found: '找不到要操作的内容，可能已被删除',
    conflict: '数据已变化，请刷新后再试',
    too_large: '一次提交的内容太多，请分批进行',
    rate_limited: '操作太频繁，请稍后再试',
    unavailable: '服务器暂时无法完成，请稍后重试',
  },
  en: {
    refused: 'The server did not accept this; check and try again',
    forbidden: 'You may not do this',
    not_found: 'What this refers to was not found; it may have been removed',
    conflict: 'The data has changed; reload and try again',
    too_large: 'Too much at once; send it in smaller parts',
    rate_limited: 'Too many attempts; try again later',
    unavailable: 'The server could not do this now; try again',
  },
}

const genericByStatus: Readonly<Partial<Record<number, GenericRefusal>>> = {
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  429: 'rate_limited',
}

/** The generic case of a status: 4xx the server refused, anything else it could not do now. */
export function genericRefusalOf(status: number): GenericRefusal {
  if (status < 400 || status >= 500 || status === 408) return 'unavailable'
  return genericByStatus[status] ?? 'refused'
}

/** What a failed request tells: the server's refusal, its refusal of the token, or no answer at all (status 0). */
export function refusalOf(error: unknown): Refusal {
  if (error instanceof ApiRejected) return error
  if (error instanceof AccessRefused)
    return {
      status: error.kind === 'unauthenticated' ? 401 : 403,
      code: error.kind,
      ...(error.reason ? { reason: error.reason } : {}),
      ...(error.details ? { details: error.details } : {}),
    }
  return { status: 0 }
}

/** The first of a page's entries that fits the refusal: by its reason, then by its code. */
export function pickRefusal<T>(
  refusal: Refusal,
  byReason: Readonly<Partial<Record<string, T>>>,
  byCode: Readonly<Partial<Record<string, T>>>,
): T | undefined {
  const ofReason = refusal.reason ? byReason[refusal.reason] : undefined
  if (ofReason !== undefined) return ofReason
  return refusal.code ? byCode[refusal.code] : undefined
}

/**
 * A refusal in the page's words: by its reason (with its details where the words take them), then
 * its code, then the generic text of its status.
 */
export function describeRefusal(refusal: Refusal, words: RefusalWords, lang: Lang): string {
  const picked = pickRefusal<ReasonWords>(refusal, words.reasons, words.codes)
  if (typeof picked === 'function') return picked(refusal.details ?? {})
  return picked ?? genericRefusalText[lang][genericRefusalOf(refusal.status)]
}

/** A detail of a refusal that is a string, or undefined: details come over the wire unchecked. */
export function detailText(details: RefusalDetails, name: string): string | undefined {
  const value = details[name]
  return typeof value === 'string' && value.trim() !== '' ? value : undefined
}

/** A detail of a refusal that is a list of strings (codes no pupil has), or an empty list. */
export function detailList(details: RefusalDetails, name: string): string[] {
  const value = details[name]
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []
}

/** The alarm inbox's refusals (server/core/alarms/), worded alike on every page that works its cases. */
export const alarmInboxRefusalReasons = [
  'alarm_closed',
  'alarm_bureau_only',
  'assignee_not_eligible',
] as const satisfies readonly AppErrorReason[]
export type AlarmInboxRefusalReason = (typeof alarmInboxRefusalReasons)[number]

export const alarmInboxRefusalText: Record<Lang, Record<AlarmInboxRefusalReason, string>> = {
  zh: {
    alarm_closed: '这条报警已经结案，不能再操作',
    alarm_bureau_only: '这是严重报警，只能由教育局处理',
    assignee_not_eligible: '不能指派给这个账号：账号已停用，或不是负责这辆车的学校',
  },
  en: {
    alarm_closed: 'This alarm is closed: nothing more can be done to it',
    alarm_bureau_only: 'This alarm is critical: only the bureau works it',
    assignee_not_eligible:
      'It cannot go to this account: the account is disabled, or is not of a school this bus serves',
  },
}
