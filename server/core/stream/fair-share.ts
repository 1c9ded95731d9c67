/** How many partitions one member may hold: all of them shared out, rounded up so none is left over. */
export function fairShare(partitions: number, liveMembers: number): number {
  return Math.ceil(partitions / Math.max(1, liveMembers))
}

/** The partitions a member gives up to come down to its share: its highest ones. */
export function partitionsAboveShare(held: Iterable<number>, share: number): number[] {
  const sorted = [...held].sort((a, b) => a - b)
  return sorted.slice(Math.max(0, share))
}
