/**
 * The attendant page's service worker: the page opens and works on a bus with no signal. The page
 * and the files it names (each with its content hash) are kept from installation on; the API's
 * answers are asked of the network first and kept, so that with no network the last ones are
 * there. Scans are not this file's business: the page keeps its own queue and sends it.
 */

// Written in when this file is bundled, by the server or `npm run build` (server/http/page-assets.ts).
declare const __PAGE_URL__: string
declare const __PRECACHE_URLS__: string[]
declare const __CACHE_VERSION__: string

/** The parts of the service worker scope used here (the DOM library does not describe them). */
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void
}
interface FetchEvent extends ExtendableEvent {
  request: Request
  respondWith(response: Promise<Response>): void
}
interface WorkerScope {
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void
  skipWaiting(): Promise<void>
  clients: { claim(): Promise<void> }
}

const worker = self as unknown as WorkerScope
const pageCache = `attendant-page-${__CACHE_VERSION__}`
/** Kept across versions of the page: the last answers are still the best there is offline. */
const apiCache = 'attendant-api'

worker.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(pageCache)
      await cache.addAll(__PRECACHE_URLS__)
      await worker.skipWaiting()
    })(),
  )
})

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('attendant-page-') && name !== pageCache) await caches.delete(name)
      }
      // The page that installed this worker is served by it at once, not from its next opening.
      await worker.clients.claim()
    })(),
  )
})

worker.addEventListener('fetch', (event) => {
  const request = event.request
  const url = new URL(request.url)
  if (request.method !== 'GET' || url.origin !== location.origin) return
  if (request.mode === 'navigate' && url.pathname === __PAGE_URL__) {
    event.respondWith(networkFirst(request, pageCache, __PAGE_URL__))
  } else if (url.pathname.startsWith('/api/')) {
    event.respondWith(networkFirst(request, apiCache))
  } else if (__PRECACHE_URLS__.includes(url.pathname + url.search)) {
    event.respondWith(cacheFirst(request))
  }
  // Anything else (the page's clock in config.json, the live channel) goes to the network as usual.
})

async function cacheFirst(request: Request): Promise<Response> {
  return (await caches.match(request, { cacheName: pageCache })) ?? fetch(request)
}

async function networkFirst(request: Request, cacheName: string, key: string | Request = request) {
  const cache = await caches.open(cacheName)
  try {
    const response = await fetch(request)
    if (response.ok) await cache.put(key, response.clone())
    return response
  } catch {
    const kept = await cache.match(key)
    if (kept) return kept
    return Response.json(
      { error: { code: 'offline', message: 'no connection, and nothing kept from before' } },
      { status: 503 },
    )
  }
}
