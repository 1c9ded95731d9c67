import { describe, expect, it } from 'vitest'
import { parseGtfsShapes } from './gtfs-shapes.js'

describe('GTFS shapes', () => {
  it('orders each shape by shape_pt_sequence, not by the file', () => {
    const text =
      'shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence,shape_dist_traveled\n' +
      'A,38.2,-77.2,10002,\nB,1,2,1,\nA,38.1,-77.1,10001,\nA,38.3,-77.3,10010,\n'
    const shapes = parseGtfsShapes(text)
    expect(shapes.get('A')).toEqual([
      [-77.1, 38.1],
      [-77.2, 38.2],
      [-77.3, 38.3],
    ])
    expect(shapes.get('B')).toEqual([[2, 1]])
  })
})
