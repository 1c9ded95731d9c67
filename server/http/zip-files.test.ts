import { describe, expect, it } from 'vitest'
import { readZip } from '../../test/support/read-zip.js'
import { zipFiles } from './zip-files.js'

describe('zipFiles', () => {
  it('writes files that read back the same, names and contents, in order', () => {
    const stopsTxt = 'stop_id,stop_name\nS1,浒山街道\n'.repeat(200)
    const zip = zipFiles(
      [
        { name: 'agency.txt', content: 'agency_id,agency_name\nA,慈溪市教育局\n' },
        { name: 'stops.txt', content: stopsTxt },
        { name: 'empty.txt', content: '' },
        { name: 'bytes.bin', content: new Uint8Array([0, 255, 1, 254]) },
      ],
      { modified: new Date('2026-03-02T07:30:10Z') },
    )
    const files = readZip(zip)
    expect(files.map((f) => f.name)).toEqual(['agency.txt', 'stops.txt', 'empty.txt', 'bytes.bin'])
    expect(files[0]!.content.toString('utf8')).toBe('agency_id,agency_name\nA,慈溪市教育局\n')
    expect(files[1]!.content.toString('utf8')).toBe(stopsTxt)
    expect(files[2]!.content.length).toBe(0)
    expect([...files[3]!.content]).toEqual([0, 255, 1, 254])
    expect(files[0]!.dosDate).toBe(((2026 - 1980) << 9) | (3 << 5) | 2)
    // Repetitive text shrinks: the entries are deflated, not stored.
    expect(zip.length).toBeLessThan(stopsTxt.length / 5)
  })

  it('writes an empty archive that is just the end record', () => {
    const zip = zipFiles([], { modified: new Date(0) })
    expect(zip.length).toBe(22)
    expect(readZip(zip)).toEqual([])
  })

  it('carries each file’s checksum in the central directory, so that damage is found', () => {
    const zip = zipFiles([{ name: 'a.txt', content: 'hello' }], { modified: new Date(0) })
    const broken = Buffer.from(zip)
    const centralChecksum = zip.readUInt32LE(zip.length - 22 + 16) + 16
    broken[centralChecksum] = broken[centralChecksum]! ^ 0xff
    expect(() => readZip(broken)).toThrow(/checksum of a.txt/)
  })
})
