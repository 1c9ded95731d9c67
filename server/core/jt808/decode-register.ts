import { requireBodyBytes } from './body-error.js'
import { decodeGbkField } from './gbk.js'

export interface Jt808Registration {
  provinceId: number
  cityId: number
  makerId: string
  model: string
  terminalId: string
  /** 0 when the vehicle has no plate (the plate field then holds the VIN), 1 blue, 2 yellow, … */
  plateColor: number
  plate: string
}

/** Widths of maker, model and terminal id in each edition of the standard. */
const layouts = {
  2019: { maker: 11, model: 30, terminalId: 30 },
  2013: { maker: 5, model: 20, terminalId: 7 },
  2011: { maker: 5, model: 8, terminalId: 7 },
} as const

type Layout = (typeof layouts)[keyof typeof layouts]

const fixedBytes = (layout: Layout) => 2 + 2 + layout.maker + layout.model + layout.terminalId + 1

/** The edition whose fixed fields fit: the header's version first, older ones for shorter bodies. */
function chooseLayout(body: Buffer, version: 2013 | 2019): Layout {
  if (version === 2019 && body.length >= fixedBytes(layouts[2019])) return layouts[2019]
  if (body.length >= fixedBytes(layouts[2013])) return layouts[2013]
  return layouts[2011]
}

/** 0x0100 → the registration; strings are GBK without their padding. */
export function decodeRegister(body: Buffer, version: 2013 | 2019 = 2013): Jt808Registration {
  const layout = chooseLayout(body, version)
  requireBodyBytes(body, fixedBytes(layout), 'register')
  let at = 4
  const take = (bytes: number) => body.subarray(at, (at += bytes))
  const makerId = decodeGbkField(take(layout.maker))
  const model = decodeGbkField(take(layout.model))
  const terminalId = decodeGbkField(take(layout.terminalId))
  const plateColor = take(1)[0]!
  return {
    provinceId: body.readUInt16BE(0),
    cityId: body.readUInt16BE(2),
    makerId,
    model,
    terminalId,
    plateColor,
    plate: decodeGbkField(body.subarray(at)),
  }
}
