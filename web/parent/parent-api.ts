import type * as z from 'zod/mini'
import {
  busStateSchema,
  pageConfigSchema,
  principalResponseSchema,
  rideResponseSchema,
  type PageConfig,
} from './parent-contract.js'

/** The server refused this token (401) or this token's view of what was asked (403). */
export class AccessRefused extends Error {
  constructor(
    readonly kind: 'unauthenticated' | 'forbidden',
    message: string,
  ) {
    super(message)
  }
}

/** Anything else that went wrong: the network, the server, an answer we cannot read. */
export class ApiFailure extends Error {}

const requestTimeoutMs = 20_000

export function createParentApi(options: { token: string; fetch?: typeof fetch }) {
  const fetchImpl = options.fetch ?? fetch.bind(globalThis)

  async function get<T>(path: string, schema: z.ZodMiniType<T>, authorized = true): Promise<T> {
    let response: Response
    try {
      response = await fetchImpl(path, {
        headers: authorized ? { authorization: `Bearer ${options.token}` } : {},
        signal: AbortSignal.timeout(requestTimeoutMs),
      })
    } catch (error) {
      throw new ApiFailure(`${path}: ${error instanceof Error ? error.message : String(error)}`)
    }
    if (response.status === 401 || response.status === 403) {
      const message = await response.text().catch(() => '')
      throw new AccessRefused(response.status === 401 ? 'unauthenticated' : 'forbidden', message)
    }
    if (!response.ok) throw new ApiFailure(`${path}: HTTP ${response.status}`)
    const parsed = schema.safeParse(await response.json().catch(() => undefined))
    if (!parsed.success) throw new ApiFailure(`${path}: unexpected answer`)
    return parsed.data
  }

  return {
    token: options.token,
    me: () => get('/api/me', principalResponseSchema),
    ride: (pupilId: string) => get(`/api/pupils/${encodeURIComponent(pupilId)}/ride`, rideResponseSchema),
    busState: (busId: string) => get(`/api/buses/${encodeURIComponent(busId)}/live`, busStateSchema),
    /** The page's settings, with when the request left and its answer came back, for the clock. */
    async pageConfig(): Promise<{ config: PageConfig; sentAtMs: number; receivedAtMs: number }> {
      const sentAtMs = Date.now()
      const config = await get('/parent/config.json', pageConfigSchema, false)
      return { config, sentAtMs, receivedAtMs: Date.now() }
    },
  }
}

export type ParentApi = ReturnType<typeof createParentApi>
