export type Lang = 'zh' | 'en'
export const langs: readonly Lang[] = ['zh', 'en']

/** The person's own choice first, then the phone's languages; Chinese where nothing says otherwise. */
export function chooseLanguage(saved: string | null, phoneLanguages: readonly string[]): Lang {
  if (saved === 'zh' || saved === 'en') return saved
  for (const tag of phoneLanguages) {
    const primary = tag.toLowerCase().split('-')[0]
    if (primary === 'zh' || primary === 'en') return primary
  }
  return 'zh'
}

export const otherLang = (lang: Lang): Lang => (lang === 'zh' ? 'en' : 'zh')
