import type { ScanAction } from './attendant-contract.js'

/** A scan made on this phone: its id is made here, so sending it twice stores it once. */
export interface ScanItem {
  kind: 'scan'
  id: string
  tripId: string
  serviceDate: string
  /** A pupil of the roster, or a code read or typed that the roster does not know. */
  pupilId?: string
  pupilCode?: string
  action: ScanAction
  stopId: string | null
  scannedAt: string
}

/** The attendant ended the trip after checking the bus. */
export interface EndItem {
  kind: 'end'
  id: string
  tripId: string
  serviceDate: string
  endedAt: string
}

export type QueueItem = ScanItem | EndItem
/** `seq` is the order the phone made them in, which is the order they are sent in. */
export type QueuedItem = QueueItem & { seq: number }

export interface QueueStore {
  all(): Promise<QueuedItem[]>
  add(item: QueueItem): Promise<QueuedItem>
  remove(seq: number): Promise<void>
}

const storeName = 'queue'

/**
 * The queue in the phone's IndexedDB: it outlives a reload, a closed tab and a restarted phone,
 * so a scan made with no signal is never lost before it reaches the server.
 */
export async function openQueueStore(databaseName = 'attendant'): Promise<QueueStore> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(databaseName, 1)
    request.onupgradeneeded = () =>
      request.result.createObjectStore(storeName, { keyPath: 'seq', autoIncrement: true })
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error ?? new Error('IndexedDB refused to open'))
  })
  const run = <T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>) =>
    new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(storeName, mode)
      const request = work(transaction.objectStore(storeName))
      transaction.oncomplete = () => resolve(request.result)
      transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'))
    })
  return {
    all: () => run('readonly', (store) => store.getAll() as IDBRequest<QueuedItem[]>),
    add: async (item) => ({ ...item, seq: Number(await run('readwrite', (store) => store.add(item))) }),
    remove: async (seq) => void (await run('readwrite', (store) => store.delete(seq))),
  }
}

/** A random (version 4) UUID, also where the page is not a secure context and has no randomUUID. */
export function newItemId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  bytes[6] = (bytes[6]! & 0x0f) | 0x40
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
