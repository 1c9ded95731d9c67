import { describe, expect, it } from 'vitest'
import { stopsAParentSees } from './stops-a-parent-sees.js'

const stops = [1, 2, 3, 4, 5].map((seq) => ({ seq, name: `S${seq}` }))

describe('stopsAParentSees', () => {
  it('shows the child’s own calls and the calls three or more pupils share, never a lone pupil’s', () => {
    const riders = [
      { seq: 1, riders: 1 },
      { seq: 2, riders: 3 },
      { seq: 3, riders: 2 },
      { seq: 5, riders: 6 },
    ]
    const seen = stopsAParentSees(stops, riders, { boardSeq: 3, alightSeq: 5 })
    expect(seen.map((stop) => stop.seq)).toEqual([2, 3, 5])
  })

  it('shows the child’s stop even when the child is its only rider', () => {
    const seen = stopsAParentSees(stops, [{ seq: 4, riders: 1 }], { boardSeq: 4, alightSeq: 5 })
    expect(seen.map((stop) => stop.seq)).toEqual([4, 5])
  })
})
