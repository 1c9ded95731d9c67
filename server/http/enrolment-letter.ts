import type { Context } from 'hono'
import QRCode from 'qrcode'
import { toShanghaiTime } from '../core/clock/shanghai-time.js'

/**
 * The page's own address as the caller reached it: where a letter's link and QR code point.
 * Behind a reverse proxy (TRUST_PROXY) that is the proxy's scheme and host, as it forwards them.
 */
export function pageOrigin(c: Context, trustProxy: boolean | undefined): string {
  const url = new URL(c.req.url)
  if (trustProxy) {
    const forwarded = (name: string) => c.req.header(name)?.split(',')[0]?.trim()
    const proto = forwarded('x-forwarded-proto')
    const host = forwarded('x-forwarded-host')
    if (proto === 'https' || proto === 'http') url.protocol = `${proto}:`
    if (host && /^[\w.-]+(:\d+)?$/.test(host)) url.host = host
  }
  return url.origin
}

/** The link as a QR code a phone's camera opens. */
export const drawQrSvg = (link: string) =>
  QRCode.toString(link, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })

/** The letter as a message to the guardian's phone, in Chinese then English. */
export function writeLetterText(letter: {
  schoolName: string
  schoolNameEn: string | null
  pupilName: string
  link: string
  code: string
  expiresAt: Date
}): string {
  const until = toShanghaiTime(letter.expiresAt).date
  return [
    `【${letter.schoolName}】请用手机打开 ${letter.link} ，输入学校登记的您的手机号后4位，即可查看${letter.pupilName}的校车。` +
      `绑定码 ${letter.code}，${until} 前有效，仅限本人使用。`,
    `${letter.schoolNameEn ?? letter.schoolName}: open ${letter.link} on your phone and type the last 4 digits ` +
      `of the phone number the school holds for you to follow ${letter.pupilName}'s school bus. ` +
      `Code ${letter.code}, valid until ${until}; for you alone.`,
  ].join('\n')
}

/** The page a code opens, with the code in the fragment: browsers never send it to a server. */
export const codeLink = (origin: string, page: 'enrol' | 'pair', code: string) =>
  `${origin}/${page}#code=${code}`
