/** The morning school-bus model of the RSRB benchmarks (Park, Tae and Kim; Bertsimas, Delarue and Martin). */
export const SBRP_SPEED_FT_PER_S = 29.3333333
export const SBRP_YARD = { x: 105600, y: 105600 } as const
export const SBRP_CAPACITY = 66
/** Unloading at a school, which must be over by its start time. */
export const SBRP_UNLOAD_S = 154.4

/** Manhattan feet at 20 mph. */
export function travelSbrpS(a: { x: number; y: number }, b: { x: number; y: number }): number {
  return (Math.abs(a.x - b.x) + Math.abs(a.y - b.y)) / SBRP_SPEED_FT_PER_S
}

/** Time a bus spends at a stop where `students` pupils board. */
export function boardSbrpS(students: number): number {
  return 19 + 2.6 * students
}
