/**
 * A binary min-heap of (key, node) pairs in typed arrays. It allows a node more than once: a
 * search pushes a node again when it finds a shorter way to it and skips the stale entries when
 * they surface, which is faster in JavaScript than an indexed heap with decrease-key.
 */
export class MinHeap {
  private keys: Float64Array
  private nodes: Int32Array
  size = 0

  constructor(capacity = 1024) {
    this.keys = new Float64Array(capacity)
    this.nodes = new Int32Array(capacity)
  }

  clear(): void {
    this.size = 0
  }

  push(key: number, node: number): void {
    if (this.size === this.keys.length) this.grow()
    let i = this.size++
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (this.keys[parent] <= key) break
      this.keys[i] = this.keys[parent]
      this.nodes[i] = this.nodes[parent]
      i = parent
    }
    this.keys[i] = key
    this.nodes[i] = node
  }

  peekKey(): number {
    return this.size === 0 ? Infinity : this.keys[0]
  }

  /** Removes the smallest entry and returns its node; read its key with peekKey() first. */
  pop(): number {
    const top = this.nodes[0]
    const last = --this.size
    const key = this.keys[last]
    const node = this.nodes[last]
    let i = 0
    for (;;) {
      let child = 2 * i + 1
      if (child >= last) break
      if (child + 1 < last && this.keys[child + 1] < this.keys[child]) child++
      if (this.keys[child] >= key) break
      this.keys[i] = this.keys[child]
      this.nodes[i] = this.nodes[child]
      i = child
    }
    this.keys[i] = key
    this.nodes[i] = node
    return top
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2)
    const nodes = new Int32Array(this.nodes.length * 2)
    keys.set(this.keys)
    nodes.set(this.nodes)
    this.keys = keys
    this.nodes = nodes
  }
}
