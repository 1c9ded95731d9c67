import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { assetOrigins, webDir, type WebFiles } from './page-assets.js'

/** A page's TypeScript as one minified module; esbuild is loaded only here, never by compiled code. */
async function bundlePage(entry: string, define?: Record<string, string>): Promise<string> {
  const { build } = await import('esbuild')
  const result = await build({
    entryPoints: [webDir(entry)],
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

const packageFile = (name: string, file: string) =>
  path.join(path.dirname(createRequire(import.meta.url).resolve(`${name}/package.json`)), file)

/**
 * The pages' files made from web/ and the installed packages: what the server serves when it runs
 * from its TypeScript sources, and what `npm run build` writes into dist/web.
 */
export const sourceWebFiles: WebFiles = {
  async asset(servedPath) {
    const origin = assetOrigins[servedPath]
    if (!origin) throw new Error(`no page file is served at ${servedPath}`)
    if ('bundle' in origin) return bundlePage(origin.bundle)
    if ('copy' in origin) return readFile(webDir(origin.copy), 'utf8')
    return readFile(packageFile(origin.package, origin.file), 'utf8')
  },
  serviceWorker: (worker, define) => bundlePage(worker.entry, define),
}
