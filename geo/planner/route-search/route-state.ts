import type { RouteInstance } from './prepare-route-instance.js'

/**
 * A set of routes in preallocated typed arrays, so that ruin-and-recreate never allocates. Each route
 * lives in a slot: a row of `stride` node numbers with cached load, travel, duration and, per
 * position, the ride from that customer to the depot, which makes an insertion check O(1).
 */
export class RouteState {
  readonly stride: number
  /** nodes[slot * stride + position]. */
  readonly nodes: Int32Array
  /** Ride from leaving the customer at a position to reaching the depot (later travel + service). */
  readonly ride: Float64Array
  readonly length: Int32Array
  readonly load: Float64Array
  readonly travel: Float64Array
  /** The quantity maxRouteS limits, for the instance's shape. */
  readonly duration: Float64Array
  /** Slot of each node, -1 while it is unrouted. */
  readonly routeOf: Int32Array
  readonly positionOf: Int32Array
  readonly activeSlots: Int32Array
  activeCount = 0
  private readonly activeIndexOf: Int32Array
  private readonly freeSlots: Int32Array
  private freeCount: number

  constructor(private readonly instance: RouteInstance) {
    const slotCount = Math.max(instance.nodeCount - 1, 1)
    this.stride = instance.maxRouteLength
    this.nodes = new Int32Array(slotCount * this.stride)
    this.ride = new Float64Array(slotCount * this.stride)
    this.length = new Int32Array(slotCount)
    this.load = new Float64Array(slotCount)
    this.travel = new Float64Array(slotCount)
    this.duration = new Float64Array(slotCount)
    this.routeOf = new Int32Array(instance.nodeCount).fill(-1)
    this.positionOf = new Int32Array(instance.nodeCount)
    this.activeSlots = new Int32Array(slotCount)
    this.activeIndexOf = new Int32Array(slotCount)
    this.freeSlots = new Int32Array(slotCount)
    for (let i = 0; i < slotCount; i++) this.freeSlots[i] = slotCount - 1 - i
    this.freeCount = slotCount
  }

  totalTravel(): number {
    let sum = 0
    for (let i = 0; i < this.activeCount; i++) sum += this.travel[this.activeSlots[i]]
    return sum
  }

  objective(): number {
    return this.totalTravel() + this.instance.routeCost * this.activeCount
  }

  openRoute(): number {
    const slot = this.freeSlots[--this.freeCount]
    this.activeIndexOf[slot] = this.activeCount
    this.activeSlots[this.activeCount++] = slot
    this.length[slot] = 0
    return slot
  }

  insertCustomer(customer: number, slot: number, position: number): void {
    const base = slot * this.stride
    for (let k = this.length[slot]; k > position; k--) {
      const moved = this.nodes[base + k - 1]
      this.nodes[base + k] = moved
      this.positionOf[moved] = k
    }
    this.nodes[base + position] = customer
    this.routeOf[customer] = slot
    this.positionOf[customer] = position
    this.length[slot]++
    this.refreshRoute(slot)
  }

  /** Takes the customer out without refreshing the caches: call finishRemovals(slot) after a batch. */
  removeCustomer(customer: number): void {
    const slot = this.routeOf[customer]
    const base = slot * this.stride
    const end = --this.length[slot]
    for (let k = this.positionOf[customer]; k < end; k++) {
      const moved = this.nodes[base + k + 1]
      this.nodes[base + k] = moved
      this.positionOf[moved] = k
    }
    this.routeOf[customer] = -1
  }

  /** Refreshes a route after removals, or frees its slot when it is empty. */
  finishRemovals(slot: number): void {
    if (this.length[slot] > 0) {
      this.refreshRoute(slot)
      return
    }
    const index = this.activeIndexOf[slot]
    const last = this.activeSlots[--this.activeCount]
    this.activeSlots[index] = last
    this.activeIndexOf[last] = index
    this.freeSlots[this.freeCount++] = slot
  }

  /** False when a route breaks a time limit (possible after a removal if travel is not metric). */
  isWithinLimits(slot: number): boolean {
    const { maxRideS, maxRouteS, toDepot } = this.instance
    if (this.duration[slot] > maxRouteS) return false
    return !toDepot || this.ride[slot * this.stride] <= maxRideS
  }

  refreshRoute(slot: number): void {
    const { travel, serviceS, demand, nodeCount, toDepot } = this.instance
    const base = slot * this.stride
    const len = this.length[slot]
    let next = 0
    let ride = 0
    let driven = 0
    let load = 0
    let service = 0
    for (let k = len - 1; k >= 0; k--) {
      const node = this.nodes[base + k]
      const leg = travel[node * nodeCount + next]
      ride += leg + (next === 0 ? 0 : serviceS[next])
      this.ride[base + k] = ride
      driven += leg
      load += demand[node]
      service += serviceS[node]
      next = node
    }
    const first = this.nodes[base]
    if (toDepot) {
      this.duration[slot] = serviceS[first] + ride
    } else {
      driven += travel[first]
      this.duration[slot] = driven + service
    }
    this.travel[slot] = driven
    this.load[slot] = load
  }

  copyFrom(other: RouteState): void {
    const stride = this.stride
    this.activeCount = other.activeCount
    this.freeCount = other.freeCount
    this.activeSlots.set(other.activeSlots)
    this.activeIndexOf.set(other.activeIndexOf)
    this.freeSlots.set(other.freeSlots)
    this.routeOf.set(other.routeOf)
    this.positionOf.set(other.positionOf)
    for (let i = 0; i < other.activeCount; i++) {
      const slot = other.activeSlots[i]
      const base = slot * stride
      const end = base + other.length[slot]
      for (let k = base; k < end; k++) {
        this.nodes[k] = other.nodes[k]
        this.ride[k] = other.ride[k]
      }
      this.length[slot] = other.length[slot]
      this.load[slot] = other.load[slot]
      this.travel[slot] = other.travel[slot]
      this.duration[slot] = other.duration[slot]
    }
  }

  toRoutes(): number[][] {
    const routes: number[][] = []
    for (let i = 0; i < this.activeCount; i++) {
      const slot = this.activeSlots[i]
      const base = slot * this.stride
      routes.push(Array.from(this.nodes.subarray(base, base + this.length[slot])))
    }
    return routes
  }
}
