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
