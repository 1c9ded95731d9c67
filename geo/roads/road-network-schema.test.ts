import { describe, expect, it } from 'vitest'
import { parseRoadNetwork } from './road-network-schema.js'
import { GeoError } from '../geo-error.js'

const way = {
  id: 'w1',
  roadClass: 'residential',
  coords: [
    [121.26, 30.17],
    [121.27, 30.17],
  ],
  speedKmh: 30,
  oneway: false,
}

describe('parseRoadNetwork', () => {
  it('accepts a well-formed network', () => {
    expect(parseRoadNetwork({ source: 'SYNTHETIC', ways: [way] }).ways).toHaveLength(1)
  })

  it('names the field of the first problem', () => {
    const cases: [unknown, string][] = [
      [{ source: 'x', ways: [{ ...way, coords: [[121.26, 30.17]] }] }, 'ways[0].coords'],
      [{ source: 'x', ways: [way, { ...way, roadClass: 'footway' }] }, 'ways[1].roadClass'],
      [{ source: 'x', ways: [{ ...way, speedKmh: 0 }] }, 'ways[0].speedKmh'],
      [
        {
          source: 'x',
          ways: [
            {
              ...way,
              coords: [
                [30.17, 200],
                [121.27, 30.17],
              ],
            },
          ],
        },
        'ways[0].coords[0][1]',
      ],
    ]
    for (const [json, field] of cases) {
      let caught: unknown
      try {
        parseRoadNetwork(json)
      } catch (error) {
        caught = error
      }
      expect(caught).toBeInstanceOf(GeoError)
      expect(caught).toMatchObject({ code: 'invalid_input', field })
    }
  })
})
