import { randomUUID } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'

export interface DataDirLock {
  release(): Promise<void>
}

interface LockOwner {
  pid: number
  host: string
  since: string
}

/** A lock file older than this, left by a take-over that died half-way, is cleared. */
const takeoverStaleMs = 10_000
/** Another process may take over the same dead owner's lock at the same moment; one of them wins. */
const maxAttempts = 5

/**
 * Makes `dir` this process's alone: the embedded store is one PostgreSQL instance in a folder, and
 * two processes writing it corrupt it and lose committed rows. The lock is a file beside the folder
 * holding the owner's pid: a process killed outright leaves it behind, and the next one takes it
 * over once that pid is gone. Locks that expire by age (proper-lockfile and the like refresh an
 * mtime on a timer) do not fit here, because the embedded store blocks the event loop while it
 * commits, for seconds under load, and the lock would be taken from a live owner.
 */
export async function lockDataDir(dir: string): Promise<DataDirLock> {
  const lockFile = `${dir}.lock`
  const me: LockOwner = {
    pid: process.pid,
    host: os.hostname(),
    since: new Date().toISOString(),
  }
  const content = JSON.stringify(me)
  for (let attempt = 1; ; attempt++) {
    if (await createComplete(lockFile, content)) return { release: () => releaseLock(lockFile, content) }
    const held = await readLockFile(lockFile)
    const owner = held === undefined ? undefined : parseOwner(held)
    if ((owner && isAlive(owner)) || attempt === maxAttempts) throw inUse(dir, lockFile, owner)
    // Gone between our attempt and this read (released, or cleared by a racer): simply try again.
    if (held !== undefined) await takeOver(lockFile, held)
  }
}

/**
 * Creates the lock file with its whole content at once, or answers false if it exists: written in
 * place, a racer could read it empty, take its owner for dead and remove it.
 */
async function createComplete(lockFile: string, content: string): Promise<boolean> {
  const draft = `${lockFile}.${process.pid}.${randomUUID()}`
  await fs.writeFile(draft, content, { mode: 0o600 })
  try {
    await fs.link(draft, lockFile)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  } finally {
    await fs.rm(draft, { force: true })
  }
}

/**
 * Removes a dead owner's lock. Two processes finding the same dead owner must not both remove it
 * (the second would remove the first one's fresh lock), so the removal happens under a directory
 * made atomically, and only if the file still holds exactly what was read as dead. Only a guard
 * holder removes the file, and nobody creates it while it exists, so a file that still reads the
 * same under the guard is still the dead one when it is removed.
 */
async function takeOver(lockFile: string, deadContent: string): Promise<void> {
  const guard = `${lockFile}.takeover`
  try {
    await fs.mkdir(guard)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    const stat = await fs.stat(guard).catch(() => undefined)
    if (stat && Date.now() - stat.mtimeMs > takeoverStaleMs)
      await fs.rm(guard, { recursive: true, force: true })
    return
  }
  try {
    if ((await readLockFile(lockFile)) === deadContent) await fs.rm(lockFile, { force: true })
  } finally {
    await fs.rm(guard, { recursive: true, force: true })
  }
}

async function releaseLock(lockFile: string, content: string): Promise<void> {
  const current = await fs.readFile(lockFile, 'utf8').catch(() => undefined)
  if (current === content) await fs.rm(lockFile, { force: true })
}

/** The lock file's content, or undefined when there is no lock file. */
async function readLockFile(lockFile: string): Promise<string | undefined> {
  try {
    return await fs.readFile(lockFile, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

function parseOwner(content: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(content) as Partial<LockOwner>
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string'
      ? { pid: parsed.pid, host: parsed.host, since: String(parsed.since) }
      : undefined
  } catch {
    // Unreadable: not a lock any process of ours wrote in full, so nobody holds it.
    return undefined
  }
}

/** An owner on another host (a folder shared over the network) is taken to be alive: we cannot tell. */
function isAlive(owner: LockOwner): boolean {
  if (owner.host !== os.hostname()) return true
  try {
    process.kill(owner.pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function inUse(dir: string, lockFile: string, owner: LockOwner | undefined): Error {
  const who = owner ? `process ${owner.pid} on ${owner.host} (since ${owner.since})` : 'another process'
  return new Error(
    `the embedded database in ${dir} is in use by ${who}: only one process may open it. ` +
      `Stop that process, give this one another DATA_DIR, or set DATABASE_URL to share a PostgreSQL ` +
      `server between processes (lock: ${lockFile})`,
  )
}
