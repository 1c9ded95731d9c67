import { describe, expect, it } from 'vitest'
import { AccessRefused, ApiFailure, ApiRejected } from '../shared/api-client.js'
import { createQueueSender } from './queue-sender.js'
import type { QueuedItem, QueueItem, QueueStore } from './scan-queue.js'

function memoryStore(): QueueStore & { items: QueuedItem[] } {
  let next = 1
  const items: QueuedItem[] = []
  return {
    items,
    all: async () => [...items],
    add: async (item: QueueItem) => {
      const queued = { ...item, seq: next++ }
      items.push(queued)
      return queued
    },
    remove: async (seq) => void items.splice(items.findIndex((i) => i.seq === seq) >>> 0, 1),
  }
}

const scan = (id: string): QueueItem => ({
  kind: 'scan',
  id,
  tripId: 't',
  serviceDate: '2026-03-02',
  pupilId: `p-${id}`,
  action: 'boarded',
  stopId: 'A',
  scannedAt: '2026-03-02T07:01:00+08:00',
})

function harness(answer: (item: QueuedItem) => Promise<unknown>) {
  const store = memoryStore()
  const calls: string[] = []
  const sent: string[] = []
  const refused: string[] = []
  const sender = createQueueSender({
    store,
    send: (item) => {
      calls.push(item.id)
      return answer(item)
    },
    onSent: (item) => sent.push(item.id),
    onRefused: (item, refusal) => refused.push(`${item.id}: ${refusal.message}`),
  })
  return { store, sender, calls, sent, refused }
}

describe('sending the queue', () => {
  it('sends in the order the scans were made and empties the queue', async () => {
    const h = harness(async () => ({ duplicate: false }))
    for (const id of ['a', 'b', 'c']) await h.store.add(scan(id))
    expect(await h.sender.flush()).toEqual({ sent: 3, refused: 0, left: 0, stoppedBy: null })
    expect(h.calls).toEqual(['a', 'b', 'c'])
    expect(h.store.items).toEqual([])
  })

  it('stops at a network failure and keeps that scan and those after it, in order', async () => {
    let online = false
    const h = harness(async (item) => {
      if (!online && item.id === 'b') throw new ApiFailure('offline')
      return {}
    })
    for (const id of ['a', 'b', 'c']) await h.store.add(scan(id))
    const first = await h.sender.flush()
    expect(first).toMatchObject({ sent: 1, left: 2 })
    expect(first.stoppedBy).toBeInstanceOf(ApiFailure)
    expect(h.store.items.map((i) => i.id)).toEqual(['b', 'c'])
    online = true
    expect(await h.sender.flush()).toMatchObject({ sent: 2, left: 0 })
    expect(h.calls).toEqual(['a', 'b', 'b', 'c'])
  })

  it('takes a refused scan out with the server’s reason and goes on with the next', async () => {
    const h = harness(async (item) => {
      if (item.id === 'a') throw new ApiRejected(422, 'unprocessable', 'pupil rides bus-07', 'body.pupilCode')
      return {}
    })
    for (const id of ['a', 'b']) await h.store.add(scan(id))
    expect(await h.sender.flush()).toMatchObject({ sent: 1, refused: 1, left: 0 })
    expect(h.refused).toEqual(['a: pupil rides bus-07'])
    expect(h.sent).toEqual(['b'])
  })

  it('keeps everything when the token is refused', async () => {
    const h = harness(async () => {
      throw new AccessRefused('unauthenticated', 'expired')
    })
    await h.store.add(scan('a'))
    expect((await h.sender.flush()).stoppedBy).toBeInstanceOf(AccessRefused)
    expect(h.store.items).toHaveLength(1)
  })

  it('runs one round at a time, and one more for a scan added during it', async () => {
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    const h = harness(async (item) => {
      if (item.id === 'a') await gate
      return {}
    })
    await h.store.add(scan('a'))
    const first = h.sender.flush()
    await h.store.add(scan('b'))
    const second = h.sender.flush()
    release()
    await Promise.all([first, second])
    expect(h.calls).toEqual(['a', 'b'])
    expect(h.store.items).toEqual([])
  })
})
