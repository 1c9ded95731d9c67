import { crc32, inflateRawSync } from 'node:zlib'

export interface ZipFile {
  name: string
  content: Buffer
  /** The entry's MS-DOS date. */
  dosDate: number
}

/**
 * Reads a ZIP archive the way unzip does, from the end record through the central directory to
 * each local header, and checks every size and checksum on the way; throws at the first mismatch.
 */
export function readZip(zip: Buffer): ZipFile[] {
  const end = zip.length - 22
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new Error(`not a valid ZIP: ${what}`)
  }
  check(end >= 0 && zip.readUInt32LE(end) === 0x06054b50, 'no end record')
  const count = zip.readUInt16LE(end + 10)
  let at = zip.readUInt32LE(end + 16)
  check(at + zip.readUInt32LE(end + 12) === end, 'the central directory does not end at the end record')
  const files: ZipFile[] = []
  for (let i = 0; i < count; i++) {
    check(zip.readUInt32LE(at) === 0x02014b50, `central entry ${i}`)
    const nameLength = zip.readUInt16LE(at + 28)
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength)
    const local = zip.readUInt32LE(at + 42)
    check(zip.readUInt32LE(local) === 0x04034b50, `local header of ${name}`)
    const localNameLength = zip.readUInt16LE(local + 26)
    check(zip.toString('utf8', local + 30, local + 30 + localNameLength) === name, `local name of ${name}`)
    const start = local + 30 + localNameLength + zip.readUInt16LE(local + 28)
    const content = inflateRawSync(zip.subarray(start, start + zip.readUInt32LE(at + 20)))
    check(content.length === zip.readUInt32LE(at + 24), `size of ${name}`)
    check(crc32(content) === zip.readUInt32LE(at + 16), `checksum of ${name}`)
    files.push({ name, content, dosDate: zip.readUInt16LE(at + 14) })
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32)
  }
  return files
}
