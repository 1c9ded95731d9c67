import { encodeGbkText } from './gbk.js'

/** 0x8103 body: DWORD parameters (e.g. 0x0029 report interval s, 0x0055 top speed km/h, 0x0056 over-speed duration s). */
export function encodeSetParameters(parameters: { id: number; value: number }[]): Buffer {
  if (parameters.length === 0 || parameters.length > 255) {
    throw new RangeError(`${parameters.length} parameters: 1 to 255 fit one message`)
  }
  const body = Buffer.alloc(1 + parameters.length * 9)
  body.writeUInt8(parameters.length, 0)
  parameters.forEach(({ id, value }, i) => {
    const at = 1 + i * 9
    body.writeUInt32BE(id, at)
    body.writeUInt8(4, at + 4)
    body.writeUInt32BE(value, at + 5)
  })
  return body
}

/**
 * 0x8300 body: flags (bit 0 urgent, 2 show, 3 read aloud, …) and GBK text; 2019 adds the text type
 * (1 notice, 2 service information) after the flags.
 */
export function encodeText(message: {
  flags: number
  text: string
  version?: 2013 | 2019
  textType?: 1 | 2
}): Buffer {
  const head =
    message.version === 2019
      ? Buffer.from([message.flags, message.textType ?? 1])
      : Buffer.from([message.flags])
  return Buffer.concat([head, encodeGbkText(message.text)])
}

/**
 * 0x8203 body: the serial of the alarm's location message (0: every alarm of the types) and the
 * types confirmed, as bits (JT/T 808-2013 table 31: 0 emergency, 20 area, 21 route, 27 illegal
 * ignition, 28 illegal movement).
 */
export function encodeAlarmConfirm(confirm: { alarmSerial: number; typeBits: number }): Buffer {
  const body = Buffer.alloc(6)
  body.writeUInt16BE(confirm.alarmSerial, 0)
  body.writeUInt32BE(confirm.typeBits >>> 0, 2)
  return body
}

/** 0x8201 body: a position query carries nothing. */
export function encodeLocationQuery(): Buffer {
  return Buffer.alloc(0)
}
