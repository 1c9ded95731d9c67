import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { Hono, type Context } from 'hono'
import { compress } from 'hono/compress'
import { etag } from 'hono/etag'
import type { Clock } from '../clock/clock.js'

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

/** The files the parent page loads, each made once per process. */
const assetSources: Record<string, () => Promise<Asset>> = {
  '/parent/app.js': async () => asset(await bundlePage(webDir('parent/parent-app.ts')), javascript),
  '/parent/parent.css': async () =>
    asset(await readFile(webDir('parent/parent.css'), 'utf8'), 'text/css; charset=utf-8'),
  '/vendor/socket.io.min.js': async () =>
    asset(await readFile(path.join(socketIoClientDir(), 'dist/socket.io.min.js'), 'utf8'), javascript),
}

/** The installed client's folder: its package exports the full bundle but not the minified one. */
const socketIoClientDir = () =>
  path.dirname(createRequire(import.meta.url).resolve('socket.io-client/package.json'))

async function bundlePage(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    minify: true,
    write: false,
    target: 'es2020',
    legalComments: 'none',
    logLevel: 'silent',
  })
  return result.outputFiles[0]!.text
}

/**
 * The web pages: `GET /parent` and what it loads. Everything is made at the first request and kept;
 * the HTML names each file with its content hash, so a phone on a slow connection downloads a file
 * once (gzipped) and afterwards asks only whether the small HTML changed.
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

  const parentHtml = () =>
    load('/parent', async () => {
      let html = await readFile(webDir('parent/index.html'), 'utf8')
      for (const [path, make] of Object.entries(assetSources)) {
        html = html.replace(`"${path}"`, `"${path}?v=${(await load(path, make)).hash}"`)
      }
      return asset(html, 'text/html; charset=utf-8')
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
  for (const path of ['/parent', '/parent/']) {
    app.get(path, compress(), etag(), async (c) => {
      c.header('Content-Security-Policy', contentSecurity)
      c.header('Referrer-Policy', 'no-referrer')
      return send(c, await parentHtml(), 'no-cache')
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
  app.get('/parent/config.json', (c) => {
    c.header('Cache-Control', 'no-store')
    return c.json({ tileUrl: options.tileUrl ?? null, now: options.clock.now().toISOString() })
  })
  return app
}
