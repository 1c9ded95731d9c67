/** A UTF-16 half of a pair with its other half missing: not encodable as UTF-8. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * Text a PostgreSQL text column accepts, at most `maxChars` long. The store refuses NUL outright and
 * a whole batch fails with it, so what a device sent (a topic, a bus id quoted in a detail) is made
 * safe here rather than trusted: NUL becomes the visible ␀, a broken surrogate (also what cutting
 * may leave) U+FFFD.
 */
export function toStorableText(text: string, maxChars: number): string {
  const cut = text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text
  return cut.replace(loneSurrogate, '\uFFFD').replace(/\0/g, '\u2400')
}
