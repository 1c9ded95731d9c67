import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { Hono, type Context } from 'hono'
import { compress } from 'hono/compress'
import { etag } from 'hono/etag'
import type { Clock } from '../core/clock/clock.js'

interface Asset {
  body: string
  type: string
  /** Content hash: the asset's ETag and the `?v=` that lets a browser keep it for good. */
  hash: string
}

const webDir = (file: string) => fileURLToPath(new URL(`../../web/${file}`, import.meta.url))
const hashOf = (body: string) => createHash('sha256').update(body).digest('base64url').slice(0, 16)
const asset = (body: string, type: string): Asset => ({ body, type, hash: hashOf(body) })

const javascript = 'text/javascript; charset=utf-8'
const bundled = (entry: string) => async () => asset(await bundlePage(webDir(entry)), javascript)
const stylesheet = (file: string) => async () =>
  asset(await readFile(webDir(file), 'utf8'), 'text/css; charset=utf-8')

/** The files the pages load, each made once per process; a page's HTML names the ones it uses. */
const assetSources: Record<string, () => Promise<Asset>> = {
  '/parent/app.js': bundled('parent/parent-app.ts'),
  '/parent/parent.css': stylesheet('parent/parent.css'),
  '/attendant/app.js': bundled('attendant/attendant-app.ts'),
  '/attendant/attendant.css': stylesheet('attendant/attendant.css'),
  '/attendant/qr-decoder.js': bundled('attendant/qr-decoder.ts'),
  '/planner/app.js': bundled('planner/planner-app.ts'),
  '/planner/planner.css': stylesheet('planner/planner.css'),
  '/vendor/socket.io.min.js': async () =>
    asset(await readFile(path.join(socketIoClientDir(), 'dist/socket.io.min.js'), 'utf8'), javascript),
}

interface PageSpec {
  /** Where the page is served; the first is its own address. */
  paths: string[]
  html: string
  /** A page whose service worker keeps it, and what it loads, for a phone with no connection. */
  serviceWorker?: { path: string; entry: string }
  /** The attendant scans pupils' cards with the phone's camera. */
  camera?: boolean
}

const pages: PageSpec[] = [
  { paths: ['/parent', '/parent/'], html: 'parent/index.html' },
  // The trailing slash puts the page inside the scope of its service worker, `/attendant/sw.js`.
  {
    paths: ['/attendant/'],
    html: 'attendant/index.html',
    serviceWorker: { path: '/attendant/sw.js', entry: 'attendant/service-worker.ts' },
    camera: true,
  },
  { paths: ['/planner', '/planner/'], html: 'planner/index.html' },
]

/** The installed client's folder: its package exports the full bundle but not the minified one. */
const socketIoClientDir = () =>
  path.dirname(createRequire(import.meta.url).resolve('socket.io-client/package.json'))

async function bundlePage(entry: string, define?: Record<string, string>): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    minify: true,
    write: false,
    target: 'es2020',
    legalComments: 'none',
    logLevel: 'silent',
    define,
  })
  return result.outputFiles[0]!.text
}

/**
 * The web pages, `GET /parent`, `GET /attendant/` and `GET /planner`, and what they load. Everything is made at
 * the first request and kept; the HTML names each file with its content hash, so a phone on a slow
 * connection downloads a file once (gzipped) and afterwards asks only whether the small HTML
 * changed. The attendant's service worker lists those same names, so it changes (and the phone
 * takes the new one) exactly when the page does.
 */
export function webPages(options: { tileUrl?: string; clock: Clock }) {
  const made = new Map<string, Promise<Asset>>()
  const load = (path: string, make: () => Promise<Asset>): Promise<Asset> => {
    let pending = made.get(path)
    if (!pending) {
      pending = make()
      made.set(path, pending)
      // A failed build is tried again at the next request rather than remembered.
      pending.catch(() => made.delete(path))
    }
    return pending
  }

  /** The page's HTML with its files' hashed names, and those names. */
  const pageOf = (page: PageSpec) =>
    load(`html:${page.paths[0]}`, async () => {
      let html = await readFile(webDir(page.html), 'utf8')
      for (const [path, make] of Object.entries(assetSources)) {
        if (html.includes(`"${path}"`))
          html = html.replaceAll(`"${path}"`, `"${path}?v=${(await load(path, make)).hash}"`)
      }
      return asset(html, 'text/html; charset=utf-8')
    })

  const namedFiles = (html: string) =>
    [...html.matchAll(/"(\/[\w./-]+\?v=[\w-]+)"/g)].map((match) => match[1]!)

  const serviceWorkerOf = (page: PageSpec, worker: NonNullable<PageSpec['serviceWorker']>) =>
    load(worker.path, async () => {
      const html = await pageOf(page)
      const code = await bundlePage(webDir(worker.entry), {
        __PAGE_URL__: JSON.stringify(page.paths[0]),
        __PRECACHE_URLS__: JSON.stringify([page.paths[0], ...new Set(namedFiles(html.body))]),
        __CACHE_VERSION__: JSON.stringify(html.hash),
      })
      return asset(code, javascript)
    })

  const send = (c: Context, file: Asset, cacheControl: string) => {
    c.header('Content-Type', file.type)
    c.header('Cache-Control', cacheControl)
    c.header('ETag', `"${file.hash}"`)
    c.header('X-Content-Type-Options', 'nosniff')
    return c.body(file.body)
  }

  const tileOrigin = options.tileUrl ? new URL(options.tileUrl.replace(/[{}]/g, '')).origin : ''
  const contentSecurity = [
    "default-src 'self'",
    `img-src 'self' data:${tileOrigin ? ` ${tileOrigin}` : ''}`,
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ')

  const app = new Hono()
  for (const page of pages) {
    for (const path of page.paths) {
      app.get(path, compress(), etag(), async (c) => {
        c.header('Content-Security-Policy', contentSecurity)
        c.header('Referrer-Policy', 'no-referrer')
        c.header('Permissions-Policy', `camera=(${page.camera ? 'self' : ''}), microphone=(), geolocation=()`)
        return send(c, await pageOf(page), 'no-cache')
      })
    }
    const own = page.paths[0]!
    if (own.endsWith('/') && !page.paths.includes(own.slice(0, -1)))
      app.get(own.slice(0, -1), (c) => c.redirect(own, 301))
    const worker = page.serviceWorker
    if (worker) {
      app.get(worker.path, compress(), etag(), async (c) =>
        send(c, await serviceWorkerOf(page, worker), 'no-cache'),
      )
    }
    app.get(`${own.replace(/\/$/, '')}/config.json`, (c) => {
      c.header('Cache-Control', 'no-store')
      return c.json({ tileUrl: options.tileUrl ?? null, now: options.clock.now().toISOString() })
    })
  }
  for (const [path, make] of Object.entries(assetSources)) {
    app.get(path, compress(), etag(), async (c) => {
      const file = await load(path, make)
      return send(
        c,
        file,
        c.req.query('v') === file.hash ? 'public, max-age=31536000, immutable' : 'no-cache',
      )
    })
  }
  return app
}
