import type { LonLatPosition } from '../lat-lon.js'
import { parseGtfsRows, requiredField, requiredNumber } from './gtfs-rows.js'

/** `shapes.txt`: each shape's line, its points in shape_pt_sequence order whatever the file's order. */
export function parseGtfsShapes(text: string): Map<string, LonLatPosition[]> {
  const points = new Map<string, { seq: number; position: LonLatPosition }[]>()
  for (const row of parseGtfsRows(text)) {
    const shapeId = requiredField(row, 'shape_id', 'shapes.txt')
    const point = {
      seq: requiredNumber(row, 'shape_pt_sequence', 'shapes.txt'),
      position: [
        requiredNumber(row, 'shape_pt_lon', 'shapes.txt'),
        requiredNumber(row, 'shape_pt_lat', 'shapes.txt'),
      ] as LonLatPosition,
    }
    const list = points.get(shapeId)
    if (list) list.push(point)
    else points.set(shapeId, [point])
  }
  return new Map(
    [...points].map(([shapeId, list]) => [
      shapeId,
      list.sort((a, b) => a.seq - b.seq).map((point) => point.position),
    ]),
  )
}
