import { crc32, deflateRawSync } from 'node:zlib'

export interface ZipEntry {
  name: string
  content: string | Uint8Array
}

const signature = { local: 0x04034b50, central: 0x02014b50, end: 0x06054b50 }
const version = 20
/** Bit 11: the names are UTF-8. */
const utf8Names = 0x0800
const deflated = 8
/** ZIP without its 64-bit extension: no file or archive past 4 GiB, no more than 65535 files. */
const maxSize = 0xffffffff
const maxEntries = 0xffff

/** The MS-DOS date and time a ZIP entry carries, in the local fields of `modified` taken as UTC. */
function dosDateTime(modified: Date): { date: number; time: number } {
  const year = Math.min(2107, Math.max(1980, modified.getUTCFullYear()))
  return {
    date: ((year - 1980) << 9) | ((modified.getUTCMonth() + 1) << 5) | modified.getUTCDate(),
    time: (modified.getUTCHours() << 11) | (modified.getUTCMinutes() << 5) | (modified.getUTCSeconds() >> 1),
  }
}

/**
 * A ZIP archive of `entries`, each deflated, as every unzip tool and GTFS reader expects. Made in
 * memory: it is meant for a few megabytes of text, such as a GTFS feed.
 */
export function zipFiles(entries: readonly ZipEntry[], options: { modified: Date }): Buffer {
  if (entries.length > maxEntries) throw new RangeError(`a ZIP holds at most ${maxEntries} files`)
  const { date, time } = dosDateTime(options.modified)
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8')
    const raw = typeof entry.content === 'string' ? Buffer.from(entry.content, 'utf8') : entry.content
    const packed = deflateRawSync(raw)
    const checksum = crc32(raw)
    if (raw.length > maxSize || offset > maxSize) throw new RangeError(`${entry.name} is too large for a ZIP`)
    // The local and the central header hold the same run of fields, from "version needed" to the
    // name's length; the central one has "version made by" before it and more after it.
    const writeSharedFields = (header: Buffer, at: number) => {
      header.writeUInt16LE(version, at)
      header.writeUInt16LE(utf8Names, at + 2)
      header.writeUInt16LE(deflated, at + 4)
      header.writeUInt16LE(time, at + 6)
      header.writeUInt16LE(date, at + 8)
      header.writeUInt32LE(checksum, at + 10)
      header.writeUInt32LE(packed.length, at + 14)
      header.writeUInt32LE(raw.length, at + 18)
      header.writeUInt16LE(name.length, at + 22)
    }

    const local = Buffer.alloc(30)
    local.writeUInt32LE(signature.local, 0)
    writeSharedFields(local, 4)
    locals.push(local, name, packed)

    const central = Buffer.alloc(46)
    central.writeUInt32LE(signature.central, 0)
    central.writeUInt16LE(version, 4)
    writeSharedFields(central, 6)
    central.writeUInt32LE(offset, 42)
    centrals.push(central, name)
    offset += local.length + name.length + packed.length
  }
  const centralSize = centrals.reduce((sum, part) => sum + part.length, 0)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(signature.end, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(centralSize, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, ...centrals, end])
}
