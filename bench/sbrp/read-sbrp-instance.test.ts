import { describe, expect, it } from 'vitest'
import { GeoError } from '../../geo/geo-error.js'
import { readSbrpInstance } from './read-sbrp-instance.js'

const schools =
  'ID\tX\tY\tAMEARLY\tAMLATE\n200001\t264.26\t119029\t510\t540\n200002\t123554\t101349\t1005\t1035\n'
const stops =
  'ID\tX_COORD\tY_COORD\tEP_ID\tSTUDENT_COUNT\r\n100001\t168.07\t118471\t200001\t16\r\n100002\t94111\t71246.5\t200002\t4\r\n'

describe('readSbrpInstance', () => {
  it('reads schools with clock times in seconds and stops with string ids', () => {
    const instance = readSbrpInstance(schools, stops)
    expect(instance.schools).toEqual([
      { id: '200001', x: 264.26, y: 119029, startS: 5 * 3600 + 10 * 60, lateStartS: 5 * 3600 + 40 * 60 },
      { id: '200002', x: 123554, y: 101349, startS: 10 * 3600 + 5 * 60, lateStartS: 10 * 3600 + 35 * 60 },
    ])
    expect(instance.stops).toEqual([
      { id: '100001', x: 168.07, y: 118471, schoolId: '200001', students: 16 },
      { id: '100002', x: 94111, y: 71246.5, schoolId: '200002', students: 4 },
    ])
  })

  it('follows the header when columns are reordered', () => {
    const reordered = 'EP_ID STUDENT_COUNT ID X_COORD Y_COORD\n200001 3 7 1 2\n'
    expect(readSbrpInstance(schools, reordered).stops).toEqual([
      { id: '7', x: 1, y: 2, schoolId: '200001', students: 3 },
    ])
  })

  it('rejects a stop of an unknown school, duplicates and bad clocks with the field', () => {
    const fieldOf = (run: () => unknown) => {
      try {
        run()
      } catch (error) {
        expect(error).toBeInstanceOf(GeoError)
        return (error as GeoError).field
      }
      throw new Error('no error')
    }
    expect(fieldOf(() => readSbrpInstance(schools, stops.replace('200002\t4', '299999\t4')))).toBe(
      'stops[1].EP_ID',
    )
    expect(fieldOf(() => readSbrpInstance(schools, stops.replace('100002', '100001')))).toBe('stops[1]')
    expect(fieldOf(() => readSbrpInstance(schools.replace('510', '575'), stops))).toBe('schools[0].AMEARLY')
    expect(fieldOf(() => readSbrpInstance(schools, stops.replace('\t16\r', '\tx\r')))).toBe(
      'stops[0].STUDENT_COUNT',
    )
  })
})
