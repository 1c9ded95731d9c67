/** What the order of a parent's children is decided by: each child's ride as the API gave it. */
export interface ChildRide {
  pupilId: string
  ride: { live: boolean; visibleFrom: string } | null
}

/**
 * The children in the order the page offers them, the first being the one shown: a child whose
 * bus can be watched now, then one whose trip comes later today, then the rest; the trip that
 * starts first goes first (of two buses watchable now, the one already under way). Among equals,
 * the child the parent chose last time, then the order of the registers.
 */
export function orderChildren(children: readonly ChildRide[], savedPupilId: string | null): string[] {
  const rank = ({ ride }: ChildRide) => (ride?.live ? 0 : ride ? 1 : 2)
  const showsFromMs = ({ ride }: ChildRide) => (ride ? Date.parse(ride.visibleFrom) : 0)
  return children
    .map((child, index) => ({ child, index }))
    .sort(
      (a, b) =>
        rank(a.child) - rank(b.child) ||
        showsFromMs(a.child) - showsFromMs(b.child) ||
        Number(b.child.pupilId === savedPupilId) - Number(a.child.pupilId === savedPupilId) ||
        a.index - b.index,
    )
    .map(({ child }) => child.pupilId)
}
