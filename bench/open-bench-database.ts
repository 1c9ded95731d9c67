import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Database } from '../server/core/store/database.js'
import { openPgliteDatabase } from '../server/core/store/pglite-database.js'
import { openPostgresDatabase } from '../server/core/store/postgres-database.js'
import { createScratchDatabase } from './scratch-database.js'

/**
 * A benchmark's store: a database of its own on the server `databaseUrl` names, or an embedded one
 * in a temporary folder. `dispose` removes it.
 */
export async function openBenchDatabase(
  databaseUrl: string | undefined,
  name: string,
): Promise<{ db: Database; dispose(): Promise<void> }> {
  if (!databaseUrl) {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), `${name}-`))
    const db = await openPgliteDatabase({ dataDir })
    return {
      db,
      async dispose() {
        await db.close()
        await fs.rm(dataDir, { recursive: true, force: true })
      },
    }
  }
  const scratch = await createScratchDatabase(databaseUrl, name)
  const db = openPostgresDatabase({ url: scratch.url })
  return {
    db,
    async dispose() {
      await db.close()
      await scratch.drop()
    },
  }
}
