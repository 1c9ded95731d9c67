import type { HttpApp } from '../../server/http/create-http-app.js'

/**
 * One API request in process, with a bearer token and a JSON body. The answers are read field by
 * field in the tests; each expectation checks the shape it relies on.
 */
export async function callApi(
  app: HttpApp,
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
) {
  const response = await app.request(path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, body: (await response.json()) as Record<string, any> }
}
