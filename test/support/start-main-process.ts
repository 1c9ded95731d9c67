import { spawn } from 'node:child_process'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '../..')

/**
 * Runs the platform's main process with only the given environment: from its TypeScript sources,
 * so that tests need no build, or as `npm start` does, compiled, from the build in `compiledDir`.
 */
export function startMainProcess(env: Record<string, string>, options: { compiledDir?: string } = {}) {
  const entry = options.compiledDir
    ? [path.join(options.compiledDir, 'server/main.js')]
    : ['--import', 'tsx', 'server/main.ts']
  const child = spawn(process.execPath, entry, {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, exited, output: () => output }
}

export type MainProcess = ReturnType<typeof startMainProcess>
