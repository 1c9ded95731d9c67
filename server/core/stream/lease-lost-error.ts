/** A commit or a reload found the lease held by another member: the partition is dropped, not retried. */
export class LeaseLostError extends Error {
  constructor(consumer: string, partition: number) {
    super(`the ${consumer} lease of partition ${partition} is held by another member now`)
    this.name = 'LeaseLostError'
  }
}
