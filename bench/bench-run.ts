import { fork, type ChildProcess } from 'node:child_process'
import path from 'node:path'

export interface BenchChild<Reply extends { kind: string }, Request> {
  /** The next message of this kind, kept if it came before it was asked for. */
  next<K extends Reply['kind']>(kind: K, timeoutMs?: number): Promise<Extract<Reply, { kind: K }>>
  ask<K extends Reply['kind']>(
    request: Request,
    kind: K,
    timeoutMs?: number,
  ): Promise<Extract<Reply, { kind: K }>>
  send(request: Request): void
  /** From now on the process may end without failing the run. */
  expectExit(): void
  exited: Promise<number | null>
}

/**
 * What a benchmark made of several processes shares: its progress lines on stderr (stdout keeps
 * the one JSON line), the processes it forks, speaking typed messages over IPC (one that dies
 * early, or does not answer in time, fails the run), and what must be undone however the run ends,
 * so that no process, folder or scratch database is left behind.
 */
export function createBenchRun() {
  const children: ChildProcess[] = []
  const cleanups: (() => Promise<unknown>)[] = []
  process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')))
  const say = (line: string) => process.stderr.write(`bench: ${line}\n`)

  /** Ends the run without figures. */
  async function fail(reason: string): Promise<never> {
    say(reason)
    for (const child of children) child.kill('SIGKILL')
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined)
    process.exit(1)
  }

  /**
   * Forks `file` (in bench/) under tsx. With BENCH_CPU_PROF=DIR each child writes a V8 CPU profile
   * there as it exits (NODE_OPTIONS may not carry --cpu-prof), to see where a run's time went.
   */
  function startChild<Reply extends { kind: string }, Request>(
    file: string,
    args: string[],
    env: NodeJS.ProcessEnv,
  ): BenchChild<Reply, Request> {
    const profileDir = process.env.BENCH_CPU_PROF
    const child = fork(path.join(import.meta.dirname, file), args, {
      execArgv: ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
      env,
      serialization: 'advanced',
    })
    children.push(child)
    let exitExpected = false
    const inbox: Reply[] = []
    const waiters: (() => void)[] = []
    child.on('message', (message: Reply) => {
      inbox.push(message)
      for (const wake of waiters.splice(0)) wake()
    })
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => {
        if (!exitExpected) void fail(`${file} exited with ${code} before the run ended`)
        resolve(code)
      }),
    )
    const next = async <K extends Reply['kind']>(kind: K, timeoutMs = 120_000) => {
      const timer = setTimeout(() => void fail(`${file} sent no ${kind} in ${timeoutMs} ms`), timeoutMs)
      for (;;) {
        const at = inbox.findIndex((message) => message.kind === kind)
        if (at >= 0) {
          clearTimeout(timer)
          return inbox.splice(at, 1)[0] as Extract<Reply, { kind: K }>
        }
        await new Promise<void>((resolve) => waiters.push(resolve))
      }
    }
    const send = (request: Request) => child.send(request as object)
    return {
      next,
      send,
      ask: (request, kind, timeoutMs) => {
        send(request)
        return next(kind, timeoutMs)
      },
      expectExit: () => (exitExpected = true),
      exited,
    }
  }

  return {
    say,
    fail,
    startChild,
    /** Undone at the end of the run, last first. */
    onCleanup: (cleanup: () => Promise<unknown>) => void cleanups.push(cleanup),
    /** Runs the clean-ups. */
    finish: async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    },
  }
}

/** The measurements of several processes as one array. */
export function concat(parts: Float64Array[]): Float64Array {
  const all = new Float64Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    all.set(part, at)
    at += part.length
  }
  return all
}
