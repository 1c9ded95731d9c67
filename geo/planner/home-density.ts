import { GeoError } from '../geo-error.js'
import type { LatLon } from '../lat-lon.js'
import { M_PER_DEG } from '../routing/earth-distance.js'
import { validatePoint } from '../routing/validate-points.js'

export interface HomeDensity {
  /** Cell centres with the number of homes in each cell, south to north, then west to east. */
  cells: { lat: number; lon: number; count: number }[]
  cellM: number
  /** Homes in cells left out for holding fewer than minCount. */
  hidden: number
}

/**
 * Counts homes on a grid of squares `cellM` on a side, for a density map that shows where pupils
 * live without showing any one home: a cell with fewer than `minCount` homes is left out. The grid
 * is fixed on the globe (rows of equal latitude span, each row's columns sized at its own mid
 * latitude), never fitted to the homes, so that adding or removing a home moves no cell boundary
 * and comparing two maps cannot single it out by position.
 */
export function countHomesByCell(homes: LatLon[], options: { cellM: number; minCount: number }): HomeDensity {
  const { cellM, minCount } = options
  if (!Number.isFinite(cellM) || cellM <= 0)
    throw new GeoError('invalid_input', `cellM ${cellM} must be a positive number of metres`, {
      field: 'cellM',
    })
  if (!Number.isInteger(minCount) || minCount < 1)
    throw new GeoError('invalid_input', `minCount ${minCount} must be a whole number of at least 1`, {
      field: 'minCount',
    })
  const cellDeg = cellM / M_PER_DEG
  const counts = new Map<string, { row: number; column: number; count: number }>()
  homes.forEach((home, i) => {
    validatePoint(home, `homes[${i}]`)
    const row = Math.floor(home.lat / cellDeg)
    const column = Math.floor(home.lon / columnDeg(row, cellDeg))
    const key = `${row},${column}`
    const cell = counts.get(key)
    if (cell) cell.count++
    else counts.set(key, { row, column, count: 1 })
  })
  let hidden = 0
  const cells: HomeDensity['cells'] = []
  for (const { row, column, count } of counts.values()) {
    if (count < minCount) {
      hidden += count
      continue
    }
    cells.push({
      lat: roundDeg((row + 0.5) * cellDeg),
      lon: roundDeg((column + 0.5) * columnDeg(row, cellDeg)),
      count,
    })
  }
  cells.sort((a, b) => a.lat - b.lat || a.lon - b.lon)
  return { cells, cellM, hidden }
}

/** The longitude span of one cell in a row, so that the cell is cellM wide at the row's middle. */
function columnDeg(row: number, cellDeg: number): number {
  const midLat = (row + 0.5) * cellDeg
  return cellDeg / Math.max(0.01, Math.cos((midLat * Math.PI) / 180))
}

/** 1e-6 degree (about 0.1 m): finer than any cell, and short in JSON. */
function roundDeg(deg: number): number {
  return Math.round(deg * 1e6) / 1e6
}
