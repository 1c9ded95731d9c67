import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { Hono } from 'hono'
import { compress } from 'hono/compress'
import { etag, RETAINED_304_HEADERS } from 'hono/etag'
import { z } from 'zod'
import { parseInput } from '../parse-input.js'
import type { Asset } from '../page-assets.js'
import { describeOperations } from './api-operation.js'
import { apiDocsFiles, apiDocsHtml } from './api-docs-page.js'

const docsFile = z.object({
  file: z.enum(Object.keys(apiDocsFiles) as [string, ...string[]]).describe('a file the page loads'),
})

export const apiDocsOperations = describeOperations([
  {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This description of the API, as OpenAPI 3.1',
    callers: 'anyone',
    responses: { 200: 'the OpenAPI document' },
  },
  {
    method: 'get',
    path: '/api/docs',
    summary: 'The API reference page, rendering this description',
    callers: 'anyone',
    responses: { 200: { description: 'the page', type: 'text/html' } },
  },
  {
    method: 'get',
    path: '/api/docs/:file',
    summary: 'A script or stylesheet the reference page loads',
    callers: 'anyone',
    params: docsFile,
    responses: { 200: { description: 'the script, or the stylesheet as text/css', type: 'text/javascript' } },
  },
])

/**
 * The page runs Swagger UI's bundle and its own starting script, both from here; Swagger UI sets
 * styles through the DOM (which the policy allows) and draws its icons from data: URLs.
 */
const contentSecurity = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

const swaggerUiDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
const hashOf = (body: string) => createHash('sha256').update(body).digest('base64url').slice(0, 16)

/**
 * `GET /api/openapi.json` and the reference page `GET /api/docs`, open like the sign-in: they tell
 * how to call the API and hold no data. Swagger UI is served from its installed package, nothing
 * from outside; its files are read at the first request and kept, and the page names each with
 * its content hash so that a browser keeps it for good.
 */
export function apiDocsRoutes(describeApi: () => object) {
  const made = new Map<string, Promise<Asset>>()
  /** Made at the first request and kept; one that failed is made again at the next. */
  const load = (key: string, make: () => Promise<Asset>): Promise<Asset> => {
    let pending = made.get(key)
    if (!pending) {
      pending = make()
      made.set(key, pending)
      pending.catch(() => made.delete(key))
    }
    return pending
  }
  const fileOf = (name: string) =>
    load(name, async () => {
      const file = apiDocsFiles[name]!
      const body =
        'text' in file ? file.text : await readFile(path.join(swaggerUiDir, file.packageFile), 'utf8')
      return { body, type: file.type, hash: hashOf(body) }
    })
  const pageOf = () =>
    load('/api/docs', async () => {
      const hashes = new Map<string, string>()
      for (const name of Object.keys(apiDocsFiles)) hashes.set(name, (await fileOf(name)).hash)
      const body = apiDocsHtml((name) => `/api/docs/${name}?v=${hashes.get(name)}`)
      return { body, type: 'text/html; charset=utf-8', hash: hashOf(body) }
    })

  return new Hono()
    .get('/api/openapi.json', (c) => {
      c.header('Cache-Control', 'no-cache')
      return c.json(describeApi())
    })
    .get(
      '/api/docs',
      compress(),
      // A browser revalidating the page keeps the policy a 304 carries, so the page sends its own.
      etag({ retainedHeaders: [...RETAINED_304_HEADERS, 'content-security-policy'] }),
      async (c) => {
        const page = await pageOf()
        c.header('Content-Security-Policy', contentSecurity)
        c.header('Cache-Control', 'no-cache')
        c.header('Content-Type', page.type)
        return c.body(page.body)
      },
    )
    .get('/api/docs/:file', compress(), etag(), async (c) => {
      const { file } = parseInput(docsFile, c.req.param(), 'params')
      const asset = await fileOf(file)
      c.header('Content-Type', asset.type)
      c.header(
        'Cache-Control',
        c.req.query('v') === asset.hash ? 'public, max-age=31536000, immutable' : 'no-cache',
      )
      return c.body(asset.body)
    })
}
