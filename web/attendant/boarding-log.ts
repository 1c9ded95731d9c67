import type { Boarding } from './attendant-contract.js'

const prefix = 'attendant.boardings.'

/** The scans of both lists, each once, in the order they were made. */
export function mergeBoardings(known: readonly Boarding[], incoming: readonly Boarding[]): Boarding[] {
  const byId = new Map(known.map((b) => [b.id, b]))
  for (const b of incoming) byId.set(b.id, b)
  return [...byId.values()].sort((a, b) => Date.parse(a.scannedAt) - Date.parse(b.scannedAt))
}

/**
 * The scans the server has confirmed, kept on the phone per trip and day. The server's list only
 * grows, so every answer is added to what is kept, never put in its place: an old answer (kept by
 * the service worker for use with no signal) cannot make a pupil on board vanish from the page.
 */
export function createBoardingLog(storage: Storage) {
  const keyOf = (tripId: string, date: string) => `${prefix}${date}.${tripId}`
  const read = (tripId: string, date: string): Boarding[] => {
    try {
      const saved = JSON.parse(storage.getItem(keyOf(tripId, date)) ?? '[]') as unknown
      return Array.isArray(saved) ? (saved as Boarding[]) : []
    } catch {
      return []
    }
  }
  return {
    read,
    add(tripId: string, date: string, incoming: readonly Boarding[]): Boarding[] {
      const merged = mergeBoardings(read(tripId, date), incoming)
      // Earlier days' scans are the server's business now.
      for (let i = storage.length - 1; i >= 0; i--) {
        const key = storage.key(i)
        if (key?.startsWith(prefix) && !key.startsWith(`${prefix}${date}.`)) storage.removeItem(key)
      }
      storage.setItem(keyOf(tripId, date), JSON.stringify(merged))
      return merged
    },
  }
}
