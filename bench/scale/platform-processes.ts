import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'

/** What a process of the run is for: its PARTS, or every part (`combined`, PARTS unset). */
export type ProcessRole = 'ingest' | 'events' | 'server' | 'combined'

export const partsOf: Record<ProcessRole, string | undefined> = {
  ingest: 'ingest',
  events: 'events',
  server: 'api,live',
  combined: undefined,
}

export interface PlatformProcess {
  name: string
  role: ProcessRole
  /** The HTTP port chosen for it: where a server answers /health and socket.io. */
  port: number
  /** Its MQTT client id (INGEST_CLIENT_ID): the broker keeps a session under it after it ends. */
  ingestClientId: string
  child: ChildProcess
  exited: Promise<number | null>
  /** The last of what it wrote, for telling why it failed. */
  output(): string
  /** Sent SIGKILL by the bench on purpose: its end does not fail the run. */
  killed: boolean
  /** Lines of its stderr not passed on, since they repeated an earlier one but for numbers. */
  repeatedLines(): number
}

const root = path.resolve(import.meta.dirname, '../..')
const outputKeptChars = 16_384

/**
 * `node dist/server/main.js` with only the given environment (and PATH), as a deployment runs it.
 * Its warnings and errors are passed on to stderr with its name; `onExit` hears of an end the bench
 * did not cause.
 */
export function startPlatformProcess(options: {
  name: string
  role: ProcessRole
  port: number
  ingestClientId: string
  env: Record<string, string>
  onExit(process: PlatformProcess, code: number | null, signal: NodeJS.Signals | null): void
}): PlatformProcess {
  const child = spawn(process.execPath, [path.join(root, 'dist/server/main.js')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-outputKeptChars)
  }
  child.stdout!.on('data', keep)
  let partial = ''
  // A warning repeated for every bus or every batch is passed on once.
  const seen = new Set<string>()
  let repeated = 0
  child.stderr!.on('data', (chunk: Buffer) => {
    keep(chunk)
    const lines = (partial + chunk.toString()).split('\n')
    partial = lines.pop() ?? ''
    for (const line of lines) {
      const gist = line.replace(/^\S+Z /, '').replace(/\d+/g, '#')
      if (!line.trim()) continue
      if (seen.has(gist)) repeated++
      else {
        seen.add(gist)
        process.stderr.write(`  [${options.name}] ${line}\n`)
      }
    }
  })
  const started: PlatformProcess = {
    name: options.name,
    role: options.role,
    port: options.port,
    ingestClientId: options.ingestClientId,
    child,
    exited: new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        options.onExit(started, code, signal)
        resolve(code)
      }),
    ),
    output: () => output,
    killed: false,
    repeatedLines: () => repeated,
  }
  return started
}

/** Asks it to stop (SIGTERM: it drains and exits), then kills it if it has not after `graceMs`. */
export async function stopPlatformProcess(target: PlatformProcess, graceMs: number): Promise<void> {
  if (target.child.exitCode !== null || target.child.signalCode !== null) return
  target.child.kill('SIGTERM')
  const timer = setTimeout(() => target.child.kill('SIGKILL'), graceMs)
  await target.exited
  clearTimeout(timer)
}

/** A TCP port nothing listens on now, for a process to listen on. */
export async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Resolves once `url`/health answers at all (a part still starting may answer 503). */
export async function waitForHealth(url: string, timeoutMs: number, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`${url} ended before it answered /health`)
    try {
      await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })
      return
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
  throw new Error(`${url}/health did not answer within ${timeoutMs / 1000} s`)
}
