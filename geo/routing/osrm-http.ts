import { GeoError } from '../geo-error.js'

export interface OsrmHttpOptions {
  fetch: typeof fetch
  sleep: (ms: number) => Promise<void>
  timeoutMs: number
  retries: number
}

export interface OsrmHttpAnswer {
  status: number
  body: unknown
}

/** The first wait before a retry; each further retry waits twice as long. */
const FIRST_BACKOFF_MS = 200

/**
 * GETs one OSRM URL and parses its JSON. A request that gets no answer (network error, or no
 * answer within the timeout) and a 5xx answer are retried with exponential backoff: both say the
 * server is struggling, not that the question is wrong. A 4xx is OSRM's verdict on the question
 * and comes back at once.
 */
export async function requestOsrm(url: string, options: OsrmHttpOptions): Promise<OsrmHttpAnswer> {
  let failure = ''
  let lastCause: unknown
  for (let attempt = 0; attempt <= options.retries; attempt++) {
    if (attempt > 0) await options.sleep(FIRST_BACKOFF_MS * 2 ** (attempt - 1))
    let response: Response
    let text: string
    try {
      response = await options.fetch(url, { signal: AbortSignal.timeout(options.timeoutMs) })
      text = await response.text()
    } catch (error) {
      failure = describeFailure(error, options.timeoutMs)
      lastCause = error
      continue
    }
    if (response.status >= 500) {
      failure = `HTTP ${response.status}`
      lastCause = undefined
      continue
    }
    try {
      return { status: response.status, body: JSON.parse(text) as unknown }
    } catch (cause) {
      throw new GeoError(
        'router_unavailable',
        `OSRM answered HTTP ${response.status} with a body that is not JSON`,
        { cause },
      )
    }
  }
  throw new GeoError(
    'router_unavailable',
    `OSRM did not answer after ${options.retries + 1} attempts (last: ${failure}): ${redactQuery(url)}`,
    { cause: lastCause },
  )
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`
  }
  return error instanceof Error ? error.message : String(error)
}

/** Coordinates can run to kilobytes; the service path is enough to say which call failed. */
function redactQuery(url: string): string {
  const { origin, pathname } = new URL(url)
  return `${origin}${pathname.split('/').slice(0, 4).join('/')}/…`
}
