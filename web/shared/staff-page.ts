import { element, setText } from './dom.js'
import { showErrorPage } from './error-page.js'
import { chooseLanguage, otherLang, type Lang } from './language.js'
import { readStaffToken, wireSignOut } from './staff-session.js'

/** The words every staff page has in each language. */
export interface StaffPageText {
  lang: Lang
  htmlLang: string
  title: string
  /** The language button's label: the other language, in that language. */
  otherLanguage: string
}

/** A page's error page, by kind: why the page shows nothing, and what to do. */
export interface RefusalText<Kind extends string> {
  errorTitle: Record<Kind, string>
  errorAdvice: Record<Kind, string>
}

/** The kinds of error page a page's words describe. */
type RefusalKind<T> = T extends RefusalText<infer K> ? K : never

/**
 * What starting a staff page takes, the same on each: the language (the person's choice kept under
 * `langKey`, else the browser's), the page's fixed words, the header's language and sign-out
 * buttons, the stored staff session, and the error page in both languages.
 */
export function createStaffPage<T extends StaffPageText>(options: {
  langKey: string
  texts: Record<Lang, T>
}) {
  const storage = window.localStorage
  const languageButton = element<HTMLButtonElement>('language')
  let lang = chooseLanguage(storage.getItem(options.langKey), navigator.languages)
  const text = (): T => options.texts[lang]

  return {
    lang: (): Lang => lang,
    text,

    /** `<html lang>`, the title, every `[data-text]` node and the language button, in the page's language. */
    renderStatic(): void {
      const t = text()
      document.documentElement.lang = t.htmlLang
      document.title = t.title
      for (const node of document.querySelectorAll<HTMLElement>('[data-text]')) {
        const value = t[node.dataset.text as keyof T]
        if (typeof value === 'string') setText(node, value)
      }
      setText(languageButton, t.otherLanguage)
      languageButton.lang = otherLang(lang) === 'zh' ? 'zh-CN' : 'en'
    },

    /** The language button switches to the other language, keeps the choice and draws the page again. */
    onLanguageChange(render: () => void): void {
      languageButton.addEventListener('click', () => {
        lang = otherLang(lang)
        storage.setItem(options.langKey, lang)
        render()
      })
    },

    /**
     * The stored staff session's token, with the header's sign-out button (where the page has one)
     * wired; without a session the browser goes to sign in, to come back here, and null is answered.
     */
    readSession(): string | null {
      const signOut = document.getElementById('sign-out')
      if (signOut) wireSignOut(signOut)
      return readStaffToken()
    },

    /** Instead of the page: why it shows nothing, in the page's language first and then the other. */
    refuse(kind: RefusalKind<T>): void {
      const words = (t: StaffPageText & RefusalText<string>) => ({
        htmlLang: t.htmlLang,
        title: t.errorTitle[kind] ?? '',
        advice: t.errorAdvice[kind] ?? '',
      })
      const texts = options.texts as Record<Lang, T & RefusalText<string>>
      showErrorPage(kind, words(texts[lang]), words(texts[otherLang(lang)]))
    },
  }
}

export type StaffPage<T extends StaffPageText> = ReturnType<typeof createStaffPage<T>>

/**
 * The line above a page: what was done (`done`) or what went wrong (`error`); null hides it. The
 * line's own classes (`message`, `screen-only`) stay.
 */
export function createMessageLine(node: HTMLElement) {
  const classes = node.className
  return (message: string | null, kind: 'done' | 'error' = 'done'): void => {
    node.hidden = message === null
    node.className = `${classes} ${kind}`
    setText(node, message ?? '')
  }
}
