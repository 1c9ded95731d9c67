import { describe, expect, it } from 'vitest'
import { buildRoadGraph } from './road-graph.js'
import { SegmentGrid } from './segment-grid.js'
import { createLocalProjection, haversineM } from './earth-distance.js'
import { loadMonacoNetwork } from '../../test/support/test-data.js'

describe('SegmentGrid on Monaco', () => {
  const graph = buildRoadGraph(loadMonacoNetwork())
  const grid = new SegmentGrid(graph)
  const projection = createLocalProjection(graph.bounds.minLat, graph.bounds.minLon)

  /** The nearest distance to each piece, over every segment of the network. */
  function bruteForcePieceDistancesM(lat: number, lon: number): number[] {
    const px = projection.xM(lon)
    const py = projection.yM(lat)
    const best = new Array<number>(graph.pieceCount).fill(Infinity)
    for (let p = 0; p < graph.pieceCount; p++) {
      for (let i = graph.coordStart[p]; i < graph.coordStart[p + 1] - 1; i++) {
        const [ax, ay] = [projection.xM(graph.coordLon[i]), projection.yM(graph.coordLat[i])]
        const [bx, by] = [projection.xM(graph.coordLon[i + 1]), projection.yM(graph.coordLat[i + 1])]
        const lengthSquared = (bx - ax) ** 2 + (by - ay) ** 2
        const t =
          lengthSquared === 0
            ? 0
            : Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / lengthSquared))
        const qLon = projection.lon(ax + t * (bx - ax))
        const qLat = projection.lat(ay + t * (by - ay))
        best[p] = Math.min(best[p]!, haversineM(lat, lon, qLat, qLon))
      }
    }
    return best
  }

  it('finds the same nearest pieces as a scan of every segment', () => {
    let state = 99
    const random = () => (state = (state * 16807) % 2147483647) / 2147483647
    const { minLat, maxLat, minLon, maxLon } = graph.bounds
    for (let k = 0; k < 40; k++) {
      const lat = minLat + random() * (maxLat - minLat)
      const lon = minLon + random() * (maxLon - minLon)
      const found = grid.findNearest(lat, lon, 400, 3)
      const expected = bruteForcePieceDistancesM(lat, lon)
        .filter((distanceM) => distanceM <= 400)
        .sort((a, b) => a - b)
        .slice(0, 3)
      expect(found.map((position) => position.distanceM)).toEqual(
        expected.map((distanceM) => expect.closeTo(distanceM, 3)),
      )
      expect(new Set(found.map((position) => position.piece)).size).toBe(found.length)
    }
  })

  it('places a found position on its piece, at its distance along it', () => {
    const [position] = grid.findNearest(43.73116, 7.41962, 100, 1)
    const piece = position!.piece
    const first = graph.coordStart[piece]
    const fromStartM = haversineM(graph.coordLat[first], graph.coordLon[first], position!.lat, position!.lon)
    expect(position!.alongM).toBeGreaterThanOrEqual(fromStartM - 0.01)
    expect(position!.alongM).toBeLessThanOrEqual(graph.pieceLengthM[piece] + 0.01)
  })

  it('finds nothing beyond the radius', () => {
    expect(grid.findNearest(43.5, 7.5, 1000, 1)).toEqual([])
  })
})
