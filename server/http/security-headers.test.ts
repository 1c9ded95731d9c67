import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { securityHeaders, tileImageSource } from './security-headers.js'

function appWith(trustProxy: boolean) {
  return new Hono()
    .use('*', securityHeaders({ trustProxy }))
    .get('/api/thing', (c) => c.json({ ok: true }))
    .get('/page', (c) => {
      c.header('Content-Security-Policy', "default-src 'self'")
      return c.html('<p>page</p>')
    })
    .get('/fails', () => {
      throw new Error('boom')
    })
}

describe('security headers', () => {
  it('forbids framing and sniffing everywhere, and lets nothing run from a non-page answer', async () => {
    const response = await appWith(false).request('http://platform.test/api/thing')
    expect(response.headers.get('x-frame-options')).toBe('DENY')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('referrer-policy')).toBe('no-referrer')
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    )
    expect(response.headers.get('strict-transport-security')).toBeNull()
  })

  it('keeps the policy a page sets for itself', async () => {
    const response = await appWith(false).request('http://platform.test/page')
    expect(response.headers.get('content-security-policy')).toBe("default-src 'self'")
    expect(response.headers.get('x-frame-options')).toBe('DENY')
  })

  it('sends HSTS over TLS, and behind a trusted proxy that says the request came over TLS', async () => {
    expect(
      (await appWith(false).request('https://platform.test/api/thing')).headers.get(
        'strict-transport-security',
      ),
    ).toMatch(/^max-age=\d+/)
    const forwarded = { headers: { 'x-forwarded-proto': 'https' } }
    expect(
      (await appWith(true).request('http://platform.test/api/thing', forwarded)).headers.get(
        'strict-transport-security',
      ),
    ).toMatch(/^max-age=\d+/)
    // Anyone can send the header: without a proxy in front it means nothing.
    expect(
      (await appWith(false).request('http://platform.test/api/thing', forwarded)).headers.get(
        'strict-transport-security',
      ),
    ).toBeNull()
  })

  it('puts them on error answers too', async () => {
    const response = await appWith(false).request('http://platform.test/fails')
    expect(response.status).toBe(500)
    expect(response.headers.get('x-frame-options')).toBe('DENY')
  })
})

describe('the tiles a page may load', () => {
  it.each([
    ['https://tile.example.org/{z}/{x}/{y}.png', 'https://tile.example.org'],
    ['https://{s}.tile.example.org/{z}/{x}/{y}.png', 'https://*.tile.example.org'],
    ['https://webrd0{s}.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}', 'https://*.is.autonavi.com'],
    ['http://127.0.0.1:8081/tiles/{z}/{x}/{y}.png', 'http://127.0.0.1:8081'],
    ['HTTPS://Tiles.Example.org:443/{s}/{z}/{x}/{y}.png', 'https://tiles.example.org'],
  ])('from %s: %s', (template, source) => {
    expect(tileImageSource(template)).toBe(source)
  })
})
