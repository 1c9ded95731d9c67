import { describe, expect, it } from 'vitest'
import { MinHeap } from './min-heap.js'

describe('MinHeap', () => {
  it('pops keys in ascending order, growing past its capacity', () => {
    const heap = new MinHeap(4)
    const keys = Array.from({ length: 500 }, (_, i) => ((i * 7919) % 503) / 10)
    keys.forEach((key, node) => heap.push(key, node))
    const popped: number[] = []
    while (heap.size > 0) {
      const key = heap.peekKey()
      expect(keys[heap.pop()]).toBe(key)
      popped.push(key)
    }
    expect(popped).toEqual([...keys].sort((a, b) => a - b))
    expect(heap.peekKey()).toBe(Infinity)
  })
})
