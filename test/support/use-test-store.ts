import { afterAll, beforeAll } from 'vitest'

/**
 * A store for the tests of one file: opened before them and closed after. Returns a getter, since
 * the store exists only once the tests run.
 */
export function useTestStore<T extends { db: { close(): Promise<void> } }>(open: () => Promise<T>): () => T {
  let store: T | undefined
  beforeAll(async () => {
    store = await open()
  })
  afterAll(async () => {
    await store?.db.close()
  })
  return () => store!
}
