import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Clock } from '../../server/core/clock/clock.js'
import { loadConfig } from '../../server/core/config/load-config.js'
import { createLogger } from '../../server/core/log/logger.js'
import { startParts, type StartedParts } from '../../server/parts/part-registry.js'
import { createProcessContext, type ProcessContext } from '../../server/parts/process-context.js'
import { loadTwoSchoolsTwoBuses } from '../scenarios/two-schools-two-buses.js'

export interface Jt808Platform {
  context: ProcessContext
  parts: StartedParts
  httpUrl: string
  /** The gateway's TCP port. */
  port: number
  stop(): Promise<void>
}

/**
 * One platform process running the jt808 and api parts (and `moreParts`) on the embedded store, in a fresh data
 * folder, with the two-schools scenario and each bus's terminal number as `terminals` gives it.
 */
export async function startJt808Platform(options: {
  name: string
  clock: Clock
  terminals: Record<string, string>
  /** The parts beside jt808 and api. */
  moreParts?: string[]
}): Promise<Jt808Platform> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), `stp-${options.name}-`))
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    JT808_PORT: '0',
    PARTS: ['jt808', 'api', ...(options.moreParts ?? [])].join(','),
    DEMO: 'off',
    LOG_LEVEL: 'silent',
  })
  const context = await createProcessContext({
    config,
    log: createLogger({ level: 'silent' }),
    clock: options.clock,
  })
  await loadTwoSchoolsTwoBuses(context.db)
  for (const [busId, terminalNumber] of Object.entries(options.terminals)) {
    await context.db.query(`UPDATE buses SET terminal_no = $2 WHERE id = $1`, [busId, terminalNumber])
  }
  const parts = await startParts(context)
  const httpUrl = await context.http!.listen()
  const port = Number(new URL(parts.running.jt808!.url.replace('tcp:', 'http:')).port)
  return {
    context,
    parts,
    httpUrl,
    port,
    async stop() {
      await parts.stop()
      await context.close()
      await fs.rm(dataDir, { recursive: true, force: true })
    },
  }
}
