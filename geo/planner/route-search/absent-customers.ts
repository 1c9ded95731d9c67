/** Customers waiting to be routed, in a reusable buffer. */
export class AbsentCustomers {
  readonly items: Int32Array
  count = 0

  constructor(nodeCount: number) {
    this.items = new Int32Array(Math.max(nodeCount - 1, 1))
  }

  push(customer: number): void {
    this.items[this.count++] = customer
  }
}
