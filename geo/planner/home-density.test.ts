import { describe, expect, it } from 'vitest'
import { GeoError } from '../geo-error.js'
import type { LatLon } from '../lat-lon.js'
import { createLocalProjection, measureDistanceM } from '../routing/earth-distance.js'
import { countHomesByCell } from './home-density.js'

const projection = createLocalProjection(30.25, 121.25)
const placeAt = (eastM: number, northM: number): LatLon => ({
  lat: projection.lat(northM),
  lon: projection.lon(eastM),
})

/** Seeded homes scattered over a 5 km square, denser towards its south-west corner. */
function scatterHomes(count: number, seed: number): LatLon[] {
  let state = seed
  const random = () => (state = (state * 16807) % 2147483647) / 2147483647
  return Array.from({ length: count }, () => placeAt(5000 * random() ** 2, 5000 * random() ** 2))
}

describe('countHomesByCell', () => {
  it('counts every home once, in the cell whose centre lies within half a cell of it', () => {
    const homes = scatterHomes(2000, 7)
    const cellM = 250
    const density = countHomesByCell(homes, { cellM, minCount: 1 })
    expect(density.hidden).toBe(0)
    expect(density.cellM).toBe(cellM)
    expect(density.cells.reduce((sum, cell) => sum + cell.count, 0)).toBe(homes.length)

    // A home less than a few centimetres from a cell edge may fall in either cell.
    const sure = new Map(density.cells.map((cell) => [cell, 0]))
    const maybe = new Map(density.cells.map((cell) => [cell, 0]))
    for (const home of homes) {
      const around = density.cells.filter(
        (cell) =>
          measureDistanceM(home, { lat: cell.lat, lon: home.lon }) <= cellM / 2 + 0.5 &&
          measureDistanceM(home, { lat: home.lat, lon: cell.lon }) <= cellM / 2 + 0.5,
      )
      expect(around.length).toBeGreaterThanOrEqual(1)
      for (const cell of around) maybe.set(cell, maybe.get(cell)! + 1)
      if (around.length === 1) sure.set(around[0]!, sure.get(around[0]!)! + 1)
    }
    for (const cell of density.cells) {
      expect(cell.count).toBeGreaterThanOrEqual(sure.get(cell)!)
      expect(cell.count).toBeLessThanOrEqual(maybe.get(cell)!)
    }
    const unsure = [...maybe.values()].reduce((a, b) => a + b, 0) - homes.length
    expect(unsure).toBeLessThan(homes.length / 50)
  })

  it('leaves out cells with fewer than minCount homes and says how many homes that hides', () => {
    const crowd = Array.from({ length: 3 }, (_, i) => placeAt(10 + i * 5, 10))
    const pair = [placeAt(2010, 10), placeAt(2020, 10)]
    const lone = [placeAt(4010, 10)]
    const density = countHomesByCell([...crowd, ...pair, ...lone], { cellM: 500, minCount: 3 })
    expect(density.cells).toHaveLength(1)
    expect(density.cells[0]!.count).toBe(3)
    expect(density.hidden).toBe(3)
    expect(measureDistanceM(density.cells[0]!, crowd[0]!)).toBeLessThan(500)
  })

  it('shows no single home: every shown cell holds at least minCount homes', () => {
    const homes = scatterHomes(500, 11)
    for (const minCount of [2, 5]) {
      const density = countHomesByCell(homes, { cellM: 200, minCount })
      expect(density.cells.every((cell) => cell.count >= minCount)).toBe(true)
      expect(density.cells.reduce((sum, cell) => sum + cell.count, 0) + density.hidden).toBe(homes.length)
      expect(density.hidden).toBeGreaterThan(0)
    }
  })

  it('keeps its grid where it is when homes are added, so that no home can be found by difference', () => {
    const homes = scatterHomes(300, 3)
    const before = countHomesByCell(homes, { cellM: 300, minCount: 1 })
    const after = countHomesByCell([...homes, placeAt(-2000, -2000)], { cellM: 300, minCount: 1 })
    expect(after.cells).toHaveLength(before.cells.length + 1)
    expect(after.cells).toEqual(expect.arrayContaining(before.cells))
  })

  it('refuses bad input with the field at fault', () => {
    const fieldOf = (run: () => unknown) => {
      try {
        run()
      } catch (error) {
        expect(error).toBeInstanceOf(GeoError)
        return (error as GeoError).field
      }
      return undefined
    }
    expect(fieldOf(() => countHomesByCell([], { cellM: 0, minCount: 3 }))).toBe('cellM')
    expect(fieldOf(() => countHomesByCell([], { cellM: 100, minCount: 0.5 }))).toBe('minCount')
    const bad = [placeAt(0, 0), { lat: 121.2, lon: 30.2 }]
    expect(fieldOf(() => countHomesByCell(bad, { cellM: 100, minCount: 1 }))).toBe('homes[1]')
  })
})
