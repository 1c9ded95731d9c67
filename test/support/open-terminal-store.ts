import { createSessions } from '../../server/core/auth/sessions.js'
import { rotateTerminalCredential } from '../../server/core/auth/terminal-credentials.js'
import { systemClock } from '../../server/core/clock/clock.js'
import { migrateDatabase } from '../../server/core/store/migrate-database.js'
import { loadTwoSchoolsTwoBuses } from '../scenarios/two-schools-two-buses.js'
import type { StoreBackend, TestDatabase } from './store-backends.js'

/**
 * A migrated store with the two-schools scenario, each bus of `terminals` given its terminal number
 * and a fresh credential: the authentication code its terminal sends.
 */
export async function openTerminalStore<Bus extends string>(
  backend: StoreBackend,
  terminals: Record<Bus, string>,
): Promise<{ store: TestDatabase; authCodes: Record<Bus, string> }> {
  const store = await backend.open()
  await migrateDatabase(store.db)
  await loadTwoSchoolsTwoBuses(store.db)
  const sessions = createSessions({ db: store.db, clock: systemClock })
  const authCodes = {} as Record<Bus, string>
  for (const [busId, terminalNumber] of Object.entries(terminals) as [Bus, string][]) {
    await store.db.query('UPDATE buses SET terminal_no = $2 WHERE id = $1', [busId, terminalNumber])
    authCodes[busId] = (
      await rotateTerminalCredential({ sessions, db: store.db, busId, actor: 'test' })
    ).password
  }
  return { store, authCodes }
}
