import type { MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'

/**
 * The headers every response carries: no framing (clickjacking a page that ends a session or shows
 * a child's bus), no type sniffing, no referrer, and a content security policy that allows nothing
 * for what is not a page (a JSON answer opened in a tab runs nothing). A page sets its own policy,
 * which is kept (web-pages.ts).
 */
const baseHeaders = secureHeaders({
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"] },
  xFrameOptions: 'DENY',
  strictTransportSecurity: false,
  overwrite: false,
})

/** Two years, the preload lists' figure. */
const strictTransport = 'max-age=63072000; includeSubDomains'

/**
 * HSTS only where the page arrived over TLS: on a plain-HTTP deployment the header is ignored by
 * browsers anyway, and behind a proxy that terminates TLS its X-Forwarded-Proto says so — believed
 * only when TRUST_PROXY tells that a proxy is there.
 */
export function securityHeaders(options: { trustProxy: boolean }): MiddlewareHandler {
  return async (c, next) => {
    await baseHeaders(c, next)
    const forwardedProto = options.trustProxy
      ? c.req.header('x-forwarded-proto')?.split(',')[0]?.trim()
      : undefined
    const overTls = forwardedProto ? forwardedProto === 'https' : new URL(c.req.url).protocol === 'https:'
    if (overTls) c.res.headers.set('Strict-Transport-Security', strictTransport)
  }
}

/**
 * Where a page may load the map tiles of a URL template from (its `img-src`): the template's origin,
 * and with `{s}` in the host's first part every subdomain there (`https://*.tile.example.org`),
 * since the tiles come from several. Nothing else of the template's host is widened.
 */
export function tileImageSource(template: string): string {
  const [, scheme, host] = template.match(/^(https?):\/\/([^/?#]+)/i) ?? []
  if (!scheme || !host) throw new Error(`not an http(s) URL template: ${template}`)
  const [first, ...rest] = host.toLowerCase().split('.')
  const named = first!.includes('{s}') ? ['*', ...rest].join('.') : host.toLowerCase()
  // The default port is left out, as a browser compares origins.
  return `${scheme.toLowerCase()}://${named.replace(scheme.toLowerCase() === 'https' ? /:443$/ : /:80$/, '')}`
}
