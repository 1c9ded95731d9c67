import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import type { PlanWorkings } from '../../../geo/planner/plan-workings.js'
import { decodePlanWorkings, encodePlanWorkings } from './plan-workings-codec.js'

const table = (count: number, seed: number) => ({
  count,
  durationS: Float64Array.from({ length: count * count }, (_, i) =>
    i % (count + 1) === 0 ? 0 : 60 + i * seed,
  ),
  // Distances straight from a router: fractions of a metre, and the unreachable stand-in.
  distanceM: Float64Array.from({ length: count * count }, (_, i) =>
    i === 1 ? 1e9 : i * 123.456789 + 0.1 / seed,
  ),
})

const workings = (lineRiders: PlanWorkings | null): PlanWorkings => ({
  stops: [
    {
      id: 'stop-001',
      name: '长街 1',
      location: { lat: 30.2, lon: 121.3 },
      pupilIds: ['p1', 'p2'],
      schoolIds: ['a'],
      maxWalkM: 212.5,
    },
  ],
  unserved: [{ pupilId: 'p3', reason: 'lone_home' }],
  walkM: [
    ['p1', 212.5],
    ['p2', 17.25],
  ],
  table: table(4, lineRiders ? 3 : 7),
  groups: [{ signature: 'a-am0800|to_school|28800|2|1@28800', busTypeId: 'coach', routes: [[1, 0]] }],
  microRuns: ['mb-hub-am0750-1|27742|900|0|6'],
  lineRiders,
})

describe('the stored form of a plan’s workings', () => {
  it('reads back exactly what was written, the travel table to the last bit', () => {
    const written = workings(workings(null))
    const stored = encodePlanWorkings(written)
    const read = decodePlanWorkings(stored)
    expect(read).toEqual(written)
    expect(read.table.distanceM).toBeInstanceOf(Float64Array)
    expect([...read.lineRiders!.table.distanceM]).toEqual([...written.lineRiders!.table.distanceM])
    // Packed: smaller than the same workings as plain JSON.
    const plain = JSON.stringify({
      ...written,
      table: { ...written.table, distanceM: [...written.table.distanceM] },
    })
    expect(stored.length).toBeLessThan(plain.length)
  })

  it('refuses workings of another format, damaged ones, and a table of the wrong size', () => {
    /** The stored layout by hand: the JSON part's length, the JSON part, then float64s. */
    const pack = (envelope: object, values: number[] = []) => {
      const json = Buffer.from(JSON.stringify(envelope))
      const bytes = Buffer.alloc(4 + json.length + values.length * 8)
      bytes.writeUInt32LE(json.length, 0)
      json.copy(bytes, 4)
      values.forEach((value, i) => bytes.writeDoubleLE(value, 4 + json.length + i * 8))
      return gzipSync(bytes)
    }
    const { table: _table, ...rest } = workings(null)
    const envelope = {
      format: 1,
      arrays: [4, 4],
      workings: { ...rest, table: { count: 2, durationS: 0, distanceM: 1 } },
    }
    const values = [0, 60, 70, 0, 0, 500.5, 600.25, 0]
    expect(decodePlanWorkings(pack(envelope, values)).table.distanceM).toEqual(
      Float64Array.from([0, 500.5, 600.25, 0]),
    )
    expect(() => decodePlanWorkings(pack({ ...envelope, format: 2 }, values))).toThrow()
    expect(() => decodePlanWorkings(pack(envelope, values.slice(1)))).toThrow(/cut short/)
    expect(() => decodePlanWorkings(pack(envelope, [...values, 1]))).toThrow(/more than/)
    expect(() => decodePlanWorkings(encodePlanWorkings(workings(null)).subarray(0, 40))).toThrow()
    const bigger = {
      ...envelope,
      workings: { ...envelope.workings, table: { count: 3, durationS: 0, distanceM: 1 } },
    }
    expect(() => decodePlanWorkings(pack(bigger, values))).toThrow(/3 places/)
    const badGroup = { ...envelope, workings: { ...envelope.workings, groups: [{ signature: 1 }] } }
    expect(() => decodePlanWorkings(pack(badGroup, values))).toThrow()
  })
})
