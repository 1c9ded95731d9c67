/** What a phone is, as people recognise it in a list of their sessions: `Android · WeChat`. */
export function describeUserAgent(userAgent: string | null | undefined): string {
  const ua = userAgent ?? ''
  const device =
    /iPhone/.exec(ua)?.[0] ??
    /iPad/.exec(ua)?.[0] ??
    /HarmonyOS/.exec(ua)?.[0] ??
    /Android/.exec(ua)?.[0] ??
    (/Windows/.test(ua) ? 'Windows' : /Mac OS X|Macintosh/.test(ua) ? 'Mac' : /Linux/.test(ua) ? 'Linux' : '')
  const browser = /MicroMessenger/.test(ua)
    ? 'WeChat'
    : /EdgA?\//.test(ua)
      ? 'Edge'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /(?:Chrome|CriOS|Chromium)\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : ''
  const label = [device, browser].filter(Boolean).join(' · ')
  return label || ua.slice(0, 60) || 'phone'
}
