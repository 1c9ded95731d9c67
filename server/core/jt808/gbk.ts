import iconv from 'iconv-lite'

/** A GBK string as sent, less the NULs some terminals end it with. */
export function decodeGbkText(bytes: Uint8Array): string {
  return iconv.decode(Buffer.from(bytes), 'gbk').replace(/\0+$/, '')
}

/** A fixed-width GBK field, less its NUL or space padding on either side. */
export function decodeGbkField(bytes: Uint8Array): string {
  return iconv.decode(Buffer.from(bytes), 'gbk').replace(/^[\0 ]+|[\0 ]+$/g, '')
}

export function encodeGbkText(text: string): Buffer {
  return iconv.encode(text, 'gbk')
}
