import { spawn } from 'node:child_process'
import { once } from 'node:events'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { lockDataDir } from '../server/core/store/data-dir-lock.js'
import { openPgliteDatabase } from '../server/core/store/pglite-database.js'
import { startMainProcess } from './support/start-main-process.js'

let dataDir: string
beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stp-lock-'))
})
afterEach(async () => {
  await fs.rm(dataDir, { recursive: true, force: true })
})

/** The pid of a process that has come and gone: what a store killed outright leaves in its lock. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  await once(child, 'exit')
  return child.pid!
}

describe('the embedded store folder', () => {
  it('is refused to a second opener while the first has it, naming who holds it', async () => {
    const folder = path.join(dataDir, 'pgdata')
    const first = await openPgliteDatabase({ dataDir: folder })
    try {
      await first.exec(`CREATE TABLE kept (n int); INSERT INTO kept VALUES (1)`)
      await expect(openPgliteDatabase({ dataDir: folder })).rejects.toThrow(
        new RegExp(`in use by process ${process.pid} on ${os.hostname()}`),
      )
      // The refused opener changed nothing: the first still reads and writes.
      await first.query(`INSERT INTO kept VALUES (2)`)
    } finally {
      await first.close()
    }
    const again = await openPgliteDatabase({ dataDir: folder })
    try {
      expect(await again.query(`SELECT n FROM kept ORDER BY n`)).toEqual([{ n: 1 }, { n: 2 }])
    } finally {
      await again.close()
    }
  })

  it('is taken over from a process that died holding it', async () => {
    const folder = path.join(dataDir, 'pgdata')
    const pid = await deadPid()
    await fs.writeFile(`${folder}.lock`, JSON.stringify({ pid, host: os.hostname(), since: 'then' }))
    const lock = await lockDataDir(folder)
    expect(JSON.parse(await fs.readFile(`${folder}.lock`, 'utf8'))).toMatchObject({ pid: process.pid })
    await lock.release()
    await expect(fs.access(`${folder}.lock`)).rejects.toThrow()
  })

  it('is taken over from a lock nobody could have written in full', async () => {
    const folder = path.join(dataDir, 'pgdata')
    await fs.writeFile(`${folder}.lock`, '')
    const lock = await lockDataDir(folder)
    await lock.release()
  })

  it('goes to one of several processes that find the same dead owner at once', async () => {
    const folder = path.join(dataDir, 'pgdata')
    await fs.writeFile(`${folder}.lock`, JSON.stringify({ pid: await deadPid(), host: os.hostname() }))
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => lockDataDir(folder)))
    // In one process all contenders share a pid, so the losers see a live owner: exactly one wins.
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    for (const r of results) if (r.status === 'fulfilled') await r.value.release()
  })

  it('stops a second platform process at start, saying why', async () => {
    const held = await lockDataDir(path.join(dataDir, 'pgdata'))
    try {
      const run = startMainProcess({
        DATA_DIR: dataDir,
        PORT: '0',
        MQTT_PORT: '0',
        JT808_PORT: '0',
        SIMULATOR_FLEET: 'off',
      })
      expect(await run.exited).toBe(1)
      expect(run.output()).toContain(`is in use by process ${process.pid}`)
      expect(run.output()).toContain('only one process may open it')
    } finally {
      await held.release()
    }
  })
})
