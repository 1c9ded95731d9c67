import { Hono, type Context } from 'hono'
import { compress } from 'hono/compress'
import { etag, RETAINED_304_HEADERS } from 'hono/etag'
import type { Clock } from '../core/clock/clock.js'
import { assetOrigins, createPageAssets, pages, type Asset } from './page-assets.js'
import { prebuiltWebFiles } from './prebuilt-web-files.js'
import { tileImageSource } from './security-headers.js'
import { sourceWebFiles } from './source-web-files.js'

/**
 * Compiled, this module sits in dist/ beside the files `npm run build` bundled, and serves them
 * without esbuild (a development tool); run from its TypeScript source, it bundles web/ itself.
 */
const webFiles = import.meta.url.endsWith('.js') ? prebuiltWebFiles : sourceWebFiles

/** The map tiles the pages draw under their own roads (TILE_URL and the rest of TILE_*). */
export interface MapTiles {
  url: string
  datum: 'wgs84' | 'gcj02'
  attribution?: string
  subdomains: string
}

/**
 * The web pages (`GET /` the front door, `/parent`, `/attendant/`, `/bureau`, `/planner`,
 * `/registers`, `/sign-in`, `/access`, `/reports`, `/enrol` and `/pair`, `/letters`) and what they
 * load. Everything is made at the first request and kept; the HTML names each file with its
 * content hash, so a phone on a slow connection downloads a file once (gzipped) and afterwards
 * asks only whether the small HTML changed.
 */
export function webPages(options: { tiles?: MapTiles; clock: Clock }) {
  const { fileAt, pageOf, serviceWorkerOf } = createPageAssets(webFiles)

  const send = (c: Context, file: Asset, cacheControl: string) => {
    c.header('Content-Type', file.type)
    c.header('Cache-Control', cacheControl)
    c.header('ETag', `"${file.hash}"`)
    c.header('X-Content-Type-Options', 'nosniff')
    return c.body(file.body)
  }

  const { tiles } = options
  const contentSecurity = [
    "default-src 'self'",
    `img-src 'self' data:${tiles ? ` ${tileImageSource(tiles.url)}` : ''}`,
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ')

  // A browser revalidating a page keeps the headers a 304 carries: without the page's own policy
  // there, it would take the API's (which allows nothing) and run none of the page.
  const pageHeadersOn304 = [
    ...RETAINED_304_HEADERS,
    'content-security-policy',
    'referrer-policy',
    'permissions-policy',
  ]
  const app = new Hono()
  for (const page of pages) {
    for (const path of page.paths) {
      app.get(path, compress(), etag({ retainedHeaders: pageHeadersOn304 }), async (c) => {
        c.header('Content-Security-Policy', contentSecurity)
        c.header('Referrer-Policy', 'no-referrer')
        c.header('Permissions-Policy', `camera=(${page.camera ? 'self' : ''}), microphone=(), geolocation=()`)
        return send(c, await pageOf(page), 'no-cache')
      })
    }
    const own = page.paths[0]!
    // The front door, at `/`, has no folder: nothing to redirect from, and no settings of its own.
    if (own === '/') continue
    if (own.endsWith('/') && !page.paths.includes(own.slice(0, -1)))
      app.get(own.slice(0, -1), (c) => c.redirect(own, 301))
    const worker = page.serviceWorker
    if (worker) {
      // A service worker runs under the policy its own script arrives with: the page's, so that it
      // may fetch the page, its files and the API answers it keeps for a phone without a connection.
      app.get(worker.path, compress(), etag({ retainedHeaders: pageHeadersOn304 }), async (c) => {
        c.header('Content-Security-Policy', contentSecurity)
        return send(c, await serviceWorkerOf(page, worker), 'no-cache')
      })
    }
    app.get(`${own.replace(/\/$/, '')}/config.json`, (c) => {
      c.header('Cache-Control', 'no-store')
      return c.json({
        tiles: tiles ? { ...tiles, attribution: tiles.attribution ?? null } : null,
        now: options.clock.now().toISOString(),
      })
    })
  }
  for (const path of Object.keys(assetOrigins)) {
    app.get(path, compress(), etag(), async (c) => {
      const file = await fileAt(path)
      return send(
        c,
        file,
        c.req.query('v') === file.hash ? 'public, max-age=31536000, immutable' : 'no-cache',
      )
    })
  }
  return app
}
