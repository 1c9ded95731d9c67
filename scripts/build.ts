import { spawnSync } from 'node:child_process'
import { cp } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { readCommandLine } from '../server/core/cli/command-line.js'
import { createPageAssets } from '../server/http/page-assets.js'
import { writePrebuiltWebFiles } from '../server/http/prebuilt-web-files.js'
import { sourceWebFiles } from '../server/http/source-web-files.js'

/**
 * `npm run build [-- OUT_DIR]`: what the platform runs, as JavaScript in dist/ (or OUT_DIR): the
 * server, workers, geo and fixtures code compiled by tsc, the fixture world's data beside it, and
 * the pages' files bundled into web/. It writes over the last build rather than clearing it first,
 * because `npm run tokens` and the other commands build again while a platform may be running from
 * dist/. The compiled code finds its node_modules by walking up from where it lies, so an OUT_DIR
 * outside the clone needs a link to them.
 */
const root = path.resolve(import.meta.dirname, '..')
const { operands } = readCommandLine({
  usage: `usage: npm run build [-- OUT_DIR]

Compiles the server, workers, geo and fixtures code and bundles the pages into OUT_DIR (default dist/).`,
  options: {},
  operands: { min: 0, max: 1 },
})
const outDir = path.resolve(operands[0] ?? path.join(root, 'dist'))

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
const compiled = spawnSync(
  process.execPath,
  [tsc, '--project', path.join(root, 'tsconfig.build.json'), '--outDir', outDir],
  { stdio: 'inherit' },
)
if (compiled.status !== 0) process.exit(compiled.status ?? 1)

// The configuration's default road network and the Cixi world's loader read these JSON files
// beside their own modules (import.meta.url), so they go where the compiled modules are.
await cp(path.join(root, 'fixtures/cixi'), path.join(outDir, 'fixtures/cixi'), { recursive: true })

await writePrebuiltWebFiles(path.join(outDir, 'web'), createPageAssets(sourceWebFiles))
