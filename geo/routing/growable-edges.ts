/** The edges of a graph under construction, in typed arrays that double when full. */
export class GrowableEdges {
  count = 0
  from: Int32Array
  to: Int32Array
  durationS: Float64Array
  distanceM: Float64Array
  arc: Int32Array
  first: Int32Array
  second: Int32Array

  constructor(capacity: number) {
    const size = Math.max(16, capacity)
    this.from = new Int32Array(size)
    this.to = new Int32Array(size)
    this.durationS = new Float64Array(size)
    this.distanceM = new Float64Array(size)
    this.arc = new Int32Array(size)
    this.first = new Int32Array(size)
    this.second = new Int32Array(size)
  }

  add(
    from: number,
    to: number,
    durationS: number,
    distanceM: number,
    arc: number,
    first: number,
    second: number,
  ): number {
    if (this.count === this.from.length) this.grow()
    const e = this.count++
    this.from[e] = from
    this.to[e] = to
    this.set(e, durationS, distanceM, arc, first, second)
    return e
  }

  set(e: number, durationS: number, distanceM: number, arc: number, first: number, second: number): void {
    this.durationS[e] = durationS
    this.distanceM[e] = distanceM
    this.arc[e] = arc
    this.first[e] = first
    this.second[e] = second
  }

  private grow(): void {
    const size = this.from.length * 2
    this.from = resize(this.from, new Int32Array(size))
    this.to = resize(this.to, new Int32Array(size))
    this.durationS = resize(this.durationS, new Float64Array(size))
    this.distanceM = resize(this.distanceM, new Float64Array(size))
    this.arc = resize(this.arc, new Int32Array(size))
    this.first = resize(this.first, new Int32Array(size))
    this.second = resize(this.second, new Int32Array(size))
  }
}

function resize<T extends Int32Array | Float64Array>(old: T, grown: T): T {
  grown.set(old)
  return grown
}
