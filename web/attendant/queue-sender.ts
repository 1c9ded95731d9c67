import { AccessRefused, ApiRejected } from '../shared/api-client.js'
import type { QueuedItem, QueueStore } from './scan-queue.js'

export interface FlushResult {
  sent: number
  refused: number
  /** Items still waiting: the network or the server failed, or the token was refused. */
  left: number
  stoppedBy: Error | null
}

/**
 * Sends the queue in the order the items were made, one at a time, so that a pupil's boarding
 * always reaches the server before their getting off. A failed request stops the round and keeps
 * the item (and everything after it) for the next; a refusal (4xx) takes the item out, since
 * sending it again would be refused again, and tells why.
 */
export function createQueueSender(options: {
  store: QueueStore
  send(item: QueuedItem): Promise<unknown>
  onSent(item: QueuedItem, answer: unknown): void
  onRefused(item: QueuedItem, refusal: ApiRejected): void
}) {
  let running: Promise<FlushResult> | null = null
  let again = false

  async function round(): Promise<FlushResult> {
    const result: FlushResult = { sent: 0, refused: 0, left: 0, stoppedBy: null }
    const items = (await options.store.all()).sort((a, b) => a.seq - b.seq)
    for (const [index, item] of items.entries()) {
      try {
        const answer = await options.send(item)
        await options.store.remove(item.seq)
        result.sent++
        options.onSent(item, answer)
      } catch (error) {
        if (error instanceof ApiRejected) {
          await options.store.remove(item.seq)
          result.refused++
          options.onRefused(item, error)
          continue
        }
        result.left = items.length - index
        result.stoppedBy =
          error instanceof AccessRefused || error instanceof Error ? error : new Error(String(error))
        return result
      }
    }
    return result
  }

  return {
    /** One round at a time: a call during a round gets one more round after it, for items added meanwhile. */
    flush(): Promise<FlushResult> {
      if (running) {
        again = true
        return running
      }
      running = (async () => {
        let result: FlushResult
        do {
          again = false
          result = await round()
        } while (again && !result.stoppedBy)
        return result
      })().finally(() => (running = null))
      return running
    },
  }
}
