import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

export interface Asset {
  body: string
  type: string
  /** Content hash: the asset's ETag and the `?v=` that lets a browser keep it for good. */
  hash: string
}

/**
 * A file of web/, beside this module's folder: the sources under the TypeScript sources, what
 * `npm run build` wrote into dist/web under the compiled server.
 */
export const webDir = (file: string) => fileURLToPath(new URL(`../../web/${file}`, import.meta.url))

/** What a file the pages load is made from: a page's TypeScript, a file of web/, or a package's file. */
export type AssetOrigin = { bundle: string } | { copy: string } | { package: string; file: string }

/** The files the pages load, by the path each is served at; a page's HTML names the ones it uses. */
export const assetOrigins: Record<string, AssetOrigin> = {
  '/parent/app.js': { bundle: 'parent/parent-app.ts' },
  '/parent/parent.css': { copy: 'parent/parent.css' },
  '/attendant/app.js': { bundle: 'attendant/attendant-app.ts' },
  '/attendant/attendant.css': { copy: 'attendant/attendant.css' },
  '/attendant/qr-decoder.js': { bundle: 'attendant/qr-decoder.ts' },
  '/planner/app.js': { bundle: 'planner/planner-app.ts' },
  '/bureau/app.js': { bundle: 'bureau/bureau-app.ts' },
  '/bureau/bureau.css': { copy: 'bureau/bureau.css' },
  '/planner/planner.css': { copy: 'planner/planner.css' },
  '/registers/app.js': { bundle: 'registers/registers-app.ts' },
  '/registers/registers.css': { copy: 'registers/registers.css' },
  '/sign-in/app.js': { bundle: 'sign-in/sign-in-app.ts' },
  '/sign-in/sign-in.css': { copy: 'sign-in/sign-in.css' },
  '/access/app.js': { bundle: 'access/access-app.ts' },
  '/access/access.css': { copy: 'access/access.css' },
  '/reports/app.js': { bundle: 'reports/reports-app.ts' },
  '/reports/reports.css': { copy: 'reports/reports.css' },
  '/reports/scores.css': { copy: 'reports/scores.css' },
  '/enrol/app.js': { bundle: 'enrol/enrol-app.ts' },
  '/enrol/enrol.css': { copy: 'enrol/enrol.css' },
  '/letters/app.js': { bundle: 'letters/letters-app.ts' },
  '/letters/letters.css': { copy: 'letters/letters.css' },
  '/home/app.js': { bundle: 'home/home-app.ts' },
  '/home/home.css': { copy: 'home/home.css' },
  // The staff pages' shared look, linked before each one's own stylesheet.
  '/shared/staff.css': { copy: 'shared/staff.css' },
  // The client's package exports its full bundle but not the minified one.
  '/vendor/socket.io.min.js': { package: 'socket.io-client', file: 'dist/socket.io.min.js' },
  // The map library, apart from the pages' bundles: a phone downloads it once for every page and
  // keeps it while the pages change. The pages' own map look follows its stylesheet.
  '/vendor/leaflet.js': { package: 'leaflet', file: 'dist/leaflet.js' },
  '/vendor/leaflet.css': { package: 'leaflet', file: 'dist/leaflet.css' },
  '/shared/page-map.css': { copy: 'shared/map/page-map.css' },
}

export interface ServiceWorkerSpec {
  path: string
  entry: string
}

export interface PageSpec {
  /** Where the page is served; the first is its own address. */
  paths: string[]
  /** The page's HTML in web/, naming the files it loads without their hashes. */
  html: string
  /** A page whose service worker keeps it, and what it loads, for a phone with no connection. */
  serviceWorker?: ServiceWorkerSpec
  /** The attendant scans pupils' cards with the phone's camera. */
  camera?: boolean
}

export const pages: PageSpec[] = [
  { paths: ['/parent', '/parent/'], html: 'parent/index.html' },
  // The trailing slash puts the page inside the scope of its service worker, `/attendant/sw.js`.
  {
    paths: ['/attendant/'],
    html: 'attendant/index.html',
    serviceWorker: { path: '/attendant/sw.js', entry: 'attendant/service-worker.ts' },
    camera: true,
  },
  { paths: ['/planner', '/planner/'], html: 'planner/index.html' },
  { paths: ['/bureau', '/bureau/'], html: 'bureau/index.html' },
  { paths: ['/registers', '/registers/'], html: 'registers/index.html' },
  { paths: ['/sign-in', '/sign-in/'], html: 'sign-in/index.html' },
  { paths: ['/access', '/access/'], html: 'access/index.html' },
  { paths: ['/reports', '/reports/'], html: 'reports/index.html' },
  // One page for both codes: a guardian's letter opens /enrol, an attendant's pairing /pair.
  { paths: ['/enrol', '/enrol/', '/pair', '/pair/'], html: 'enrol/index.html' },
  { paths: ['/letters', '/letters/'], html: 'letters/index.html' },
  // The front door: what the platform is, and the pages whoever is signed in here may open.
  { paths: ['/'], html: 'home/index.html' },
]

/** Where the bodies of the pages' files come from: bundled from web/, or prebuilt. */
export interface WebFiles {
  /** A file the pages load, by the path it is served at. */
  asset(path: string): Promise<string>
  /** A page's service worker, with the page and the files it keeps written in. */
  serviceWorker(worker: ServiceWorkerSpec, define: Record<string, string>): Promise<string>
}

const javascript = 'text/javascript; charset=utf-8'
const hashOf = (body: string) => createHash('sha256').update(body).digest('base64url').slice(0, 16)
const asset = (body: string, type: string): Asset => ({ body, type, hash: hashOf(body) })
const typeOf = (path: string) => (path.endsWith('.css') ? 'text/css; charset=utf-8' : javascript)

/**
 * The pages, their files and service workers as served, each made once: the HTML names each file
 * with its content hash, and the attendant's service worker lists those same names, so it changes
 * (and the phone takes the new one) exactly when the page does. The server and `npm run build`
 * both make them here, so a prebuilt service worker names the hashes the compiled server serves.
 */
export function createPageAssets(files: WebFiles) {
  const made = new Map<string, Promise<Asset>>()
  const load = (key: string, make: () => Promise<Asset>): Promise<Asset> => {
    let pending = made.get(key)
    if (!pending) {
      pending = make()
      made.set(key, pending)
      // A failed build is tried again at the next request rather than remembered.
      pending.catch(() => made.delete(key))
    }
    return pending
  }

  const fileAt = (path: string) => load(path, async () => asset(await files.asset(path), typeOf(path)))

  /** The page's HTML with its files' hashed names. */
  const pageOf = (page: PageSpec) =>
    load(`html:${page.paths[0]}`, async () => {
      let html = await readFile(webDir(page.html), 'utf8')
      for (const path of Object.keys(assetOrigins)) {
        if (html.includes(`"${path}"`))
          html = html.replaceAll(`"${path}"`, `"${path}?v=${(await fileAt(path)).hash}"`)
      }
      return asset(html, 'text/html; charset=utf-8')
    })

  const namedFiles = (html: string) =>
    [...html.matchAll(/"(\/[\w./-]+\?v=[\w-]+)"/g)].map((match) => match[1]!)

  const serviceWorkerOf = (page: PageSpec, worker: ServiceWorkerSpec) =>
    load(worker.path, async () => {
      const html = await pageOf(page)
      const code = await files.serviceWorker(worker, {
        __PAGE_URL__: JSON.stringify(page.paths[0]),
        __PRECACHE_URLS__: JSON.stringify([page.paths[0], ...new Set(namedFiles(html.body))]),
        __CACHE_VERSION__: JSON.stringify(html.hash),
      })
      return asset(code, javascript)
    })

  return { fileAt, pageOf, serviceWorkerOf }
}

export type PageAssets = ReturnType<typeof createPageAssets>
