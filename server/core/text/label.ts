/** A name in both of the platform's languages; the English in sentence case, as a label shows it. */
export interface Label {
  zh: string
  en: string
}

export type LabelLang = keyof Label

/** One language's words of a set of labels, for a page's text in that language. */
export function labelsIn<K extends string>(
  labels: Readonly<Record<K, Label>>,
  lang: LabelLang,
): Record<K, string> {
  const entries = Object.entries(labels) as [K, Label][]
  return Object.fromEntries(entries.map(([key, label]) => [key, label[lang]])) as Record<K, string>
}

/**
 * English words as they read inside a phrase (`Over-speed, primary road`, a report file's header):
 * the first letter lowered, unless the words open with an abbreviation (`GNSS module fault`).
 */
export function inSentence(en: string): string {
  const [first = '', second = ''] = en
  if (second !== second.toLowerCase()) return en
  return first.toLowerCase() + en.slice(1)
}
