import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { webPages } from './web-pages.js'

const clock = { now: () => new Date('2026-03-01T23:20:00.000Z') }
const gzip = { 'accept-encoding': 'gzip' }

/** The body as a browser reads it: app.request hands back the compressed bytes. */
async function unzipped(response: Response): Promise<{ text: string; bytesSent: number }> {
  const bytes = Buffer.from(await response.arrayBuffer())
  const zipped = response.headers.get('content-encoding') === 'gzip'
  return { text: (zipped ? gunzipSync(bytes) : bytes).toString('utf8'), bytesSent: bytes.length }
}

describe('the parent page as served', () => {
  const tiles = {
    url: 'https://{s}.tile.example.org/{z}/{x}/{y}.png',
    datum: 'gcj02',
    attribution: '© Example tiles',
    subdomains: 'abc',
  } as const
  const app = webPages({ clock, tiles })

  it('names each file with its content hash so a phone keeps it, and revalidates only the HTML', async () => {
    const page = await app.request('/parent', { headers: gzip })
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    expect(page.headers.get('cache-control')).toBe('no-cache')
    expect(page.headers.get('content-security-policy')).toContain(
      "img-src 'self' data: https://*.tile.example.org;",
    )
    const html = (await unzipped(page)).text
    const app_js = html.match(/"(\/parent\/app\.js\?v=[\w-]+)"/)?.[1]
    const vendor = html.match(/"(\/vendor\/socket\.io\.min\.js\?v=[\w-]+)"/)?.[1]
    const css = html.match(/"(\/parent\/parent\.css\?v=[\w-]+)"/)?.[1]
    // The map library and its look, apart from the page's bundle: kept once for every page.
    const map = ['/vendor/leaflet.js', '/vendor/leaflet.css', '/shared/page-map.css'].map(
      (file) => html.match(new RegExp(`"(${file.replaceAll('.', '\\.')}\\?v=[\\w-]+)"`))?.[1],
    )
    expect([app_js, vendor, css, ...map].every(Boolean)).toBe(true)

    for (const path of [app_js!, vendor!, css!, ...map.map((file) => file!)]) {
      const file = await app.request(path, { headers: gzip })
      expect(file.status, path).toBe(200)
      expect(file.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
      expect(file.headers.get('content-encoding')).toBe('gzip')
    }
    const stale = await app.request('/parent/app.js?v=old')
    expect(stale.headers.get('cache-control')).toBe('no-cache')

    const again = await app.request('/parent', { headers: { 'if-none-match': page.headers.get('etag')! } })
    expect(again.status).toBe(304)
    // The browser keeps the headers of a 304: the page's own policy must be among them.
    expect(again.headers.get('content-security-policy')).toBe(page.headers.get('content-security-policy'))
  })

  it('bundles the page’s TypeScript into one small module', async () => {
    const response = await app.request('/parent/app.js', { headers: gzip })
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/)
    expect(response.headers.get('content-encoding')).toBe('gzip')
    const { text: code, bytesSent } = await unzipped(response)
    expect(code).toContain('/api/pupils/')
    expect(code).not.toMatch(/^\s*import\s/m)
    console.log(`parent app.js: ${code.length} bytes, ${bytesSent} gzipped`)
    expect(bytesSent).toBeLessThan(40_000)
  })

  it('tells the page the tiles, their datum and credit, and the server’s clock', async () => {
    const response = await app.request('/parent/config.json')
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(await response.json()).toEqual({ tiles, now: '2026-03-01T23:20:00.000Z' })
    const plain = await webPages({ clock })
    expect(await (await plain.request('/parent/config.json')).json()).toMatchObject({ tiles: null })
    // Without tiles the pages load images from nowhere else.
    expect((await plain.request('/parent')).headers.get('content-security-policy')).toContain(
      "img-src 'self' data:;",
    )
  })
})

describe('the attendant page as served', () => {
  const app = webPages({ clock })

  it('lives at /attendant/, inside the scope of its service worker', async () => {
    const bare = await app.request('/attendant')
    expect(bare.status).toBe(301)
    expect(bare.headers.get('location')).toBe('/attendant/')
    const page = await app.request('/attendant/')
    expect(page.status).toBe(200)
    expect(page.headers.get('permissions-policy')).toContain('camera=(self)')
    expect((await app.request('/parent')).headers.get('permissions-policy')).toContain('camera=()')
    expect(await (await app.request('/attendant/config.json')).json()).toEqual({
      tiles: null,
      now: '2026-03-01T23:20:00.000Z',
    })
  })

  it('has a service worker that keeps the page and every file it names, by their hashed names', async () => {
    const html = await (await app.request('/attendant/')).text()
    const named = [...html.matchAll(/"(\/[\w./-]+\?v=[\w-]+)"/g)].map((m) => m[1]!)
    expect(named.map((n) => n.split('?')[0]).sort()).toEqual([
      '/attendant/app.js',
      '/attendant/attendant.css',
      '/attendant/qr-decoder.js',
      '/vendor/socket.io.min.js',
    ])
    const worker = await app.request('/attendant/sw.js', { headers: gzip })
    expect(worker.headers.get('content-type')).toMatch(/^text\/javascript/)
    expect(worker.headers.get('cache-control')).toBe('no-cache')
    // The worker runs under its own script's policy: it must be allowed to fetch what it keeps.
    expect(worker.headers.get('content-security-policy')).toContain("connect-src 'self'")
    const code = (await unzipped(worker)).text
    for (const url of ['/attendant/', ...named]) expect(code).toContain(`"${url}"`)
    expect(code).not.toMatch(/__PRECACHE_URLS__|__CACHE_VERSION__|__PAGE_URL__/)
  })

  it('keeps the QR decoder out of the page’s own bundle', async () => {
    const { bytesSent: appBytes } = await unzipped(await app.request('/attendant/app.js', { headers: gzip }))
    const decoder = await unzipped(await app.request('/attendant/qr-decoder.js', { headers: gzip }))
    console.log(`attendant app.js: ${appBytes} bytes gzipped; qr-decoder.js: ${decoder.bytesSent}`)
    expect(appBytes).toBeLessThan(40_000)
    expect(decoder.text).toContain('decodeQr')
  })
})
