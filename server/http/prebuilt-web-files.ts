import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { assetOrigins, pages, webDir, type PageAssets, type WebFiles } from './page-assets.js'

/**
 * The pages' files as `npm run build` wrote them into dist/web, each at the path it is served at,
 * beside the pages' HTML: what the compiled server serves.
 */
export const prebuiltWebFiles: WebFiles = {
  asset: (servedPath) => readFile(webDir(servedPath.slice(1)), 'utf8'),
  serviceWorker: (worker) => readFile(webDir(worker.path.slice(1)), 'utf8'),
}

/** Writes every page's HTML, file and service worker into `outDir` as `prebuiltWebFiles` reads them. */
export async function writePrebuiltWebFiles(outDir: string, assets: PageAssets): Promise<void> {
  const write = async (file: string, body: string) => {
    const target = path.join(outDir, file)
    await mkdir(path.dirname(target), { recursive: true })
    await writeFile(target, body)
  }
  for (const servedPath of Object.keys(assetOrigins))
    await write(servedPath.slice(1), (await assets.fileAt(servedPath)).body)
  for (const page of pages) {
    await write(page.html, await readFile(webDir(page.html), 'utf8'))
    if (page.serviceWorker)
      await write(
        page.serviceWorker.path.slice(1),
        (await assets.serviceWorkerOf(page, page.serviceWorker)).body,
      )
  }
}
