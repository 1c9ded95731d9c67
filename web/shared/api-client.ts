import * as z from 'zod/mini'

/** The server refused this token (401) or this token's view of what was asked (403). */
export class AccessRefused extends Error {
  constructor(
    readonly kind: 'unauthenticated' | 'forbidden',
    message: string,
    /** Which case of the refusal this is, where the server tells them apart (a pupil of another school). */
    readonly reason: string | null = null,
    readonly details: RefusalDetails | null = null,
  ) {
    super(message)
  }
}

/** What the person needs to act on a refusal, beside its reason (the plate of the bus to send a child to). */
export type RefusalDetails = Readonly<Record<string, unknown>>

/** The server read the request and said no (another 4xx): sending it again changes nothing. */
export class ApiRejected extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null,
    /** Which case of `code` this is, where the server tells them apart (web/shared/refusal-text.ts). */
    readonly reason: string | null = null,
    readonly details: RefusalDetails | null = null,
  ) {
    super(message)
  }
}

/** Anything else that went wrong: the network, the server, an answer we cannot read. Worth a retry. */
export class ApiFailure extends Error {}

/** The server's error body: `{error: {code, message, field?, reason?, details?}}`. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.optional(z.nullable(z.string())),
    reason: z.optional(z.string()),
    details: z.optional(z.record(z.string(), z.unknown())),
  }),
})

/** How long a page waits for an answer before telling the person it failed. */
export const requestTimeoutMs = 20_000

/** A request whose failure to get any answer (the network, a timeout) is an ApiFailure naming `path`. */
export async function fetchOrFail(
  path: string,
  init: RequestInit,
  fetchImpl: typeof fetch = fetch.bind(globalThis),
): Promise<Response> {
  try {
    return await fetchImpl(path, init)
  } catch (error) {
    throw new ApiFailure(`${path}: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/** A 4xx answer as the server's refusal: its code, message, field, reason and details, or the bare status. */
export function readRejection(status: number, body: unknown): ApiRejected {
  const parsed = errorBodySchema.safeParse(body)
  if (!parsed.success) return new ApiRejected(status, 'http_error', `HTTP ${status}`, null)
  const { code, message, field, reason, details } = parsed.data.error
  return new ApiRejected(status, code, message, field ?? null, reason ?? null, details ?? null)
}

/** A 401 or 403 answer as the refusal of the token, with the reason and details the server gave. */
export function readAccessRefusal(status: 401 | 403, text: string): AccessRefused {
  const kind = status === 401 ? 'unauthenticated' : 'forbidden'
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return new AccessRefused(kind, text)
  }
  const parsed = errorBodySchema.safeParse(body)
  if (!parsed.success) return new AccessRefused(kind, text)
  const { reason, details } = parsed.data.error
  return new AccessRefused(kind, text, reason ?? null, details ?? null)
}

/** The pages' way to the API: the token in the header, every answer checked against its schema. */
export function createApiClient(options: { token: string; fetch?: typeof fetch }) {
  const fetchImpl = options.fetch ?? fetch.bind(globalThis)

  async function request<T>(
    path: string,
    schema: z.ZodMiniType<T>,
    init: { method?: 'GET' | 'POST'; body?: unknown; authorized?: boolean },
  ): Promise<T> {
    const headers: Record<string, string> = {}
    if (init.authorized !== false) headers.authorization = `Bearer ${options.token}`
    if (init.body !== undefined) headers['content-type'] = 'application/json'
    const response = await fetchOrFail(
      path,
      {
        method: init.method ?? 'GET',
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(requestTimeoutMs),
      },
      fetchImpl,
    )
    if (response.status === 401 || response.status === 403) {
      throw readAccessRefusal(response.status, await response.text().catch(() => ''))
    }
    if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429)
      throw readRejection(response.status, await response.json().catch(() => undefined))
    if (!response.ok) throw new ApiFailure(`${path}: HTTP ${response.status}`)
    const parsed = schema.safeParse(await response.json().catch(() => undefined))
    if (!parsed.success) throw new ApiFailure(`${path}: unexpected answer`)
    return parsed.data
  }

  return {
    token: options.token,
    get: <T>(path: string, schema: z.ZodMiniType<T>, init: { authorized?: boolean } = {}) =>
      request(path, schema, init),
    post: <T>(path: string, body: unknown, schema: z.ZodMiniType<T>) =>
      request(path, schema, { method: 'POST', body }),
  }
}

export type ApiClient = ReturnType<typeof createApiClient>
