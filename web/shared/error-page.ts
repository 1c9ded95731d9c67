import { element } from './dom.js'

interface ErrorWords {
  htmlLang: string
  title: string
  advice: string
}

/**
 * Instead of the page (`#page`): why this link shows nothing, in both languages, the reader's
 * first. `kind` stays on `#error-page` for tools that read the page rather than look at it.
 */
export function showErrorPage(kind: string, first: ErrorWords, second: ErrorWords) {
  element('page').hidden = true
  const errorPage = element('error-page')
  errorPage.hidden = false
  errorPage.dataset.kind = kind
  document.title = first.title
  element('error-title').textContent = first.title
  element('error-advice').textContent = first.advice
  for (const [id, words] of [
    ['error-title-other', second.title],
    ['error-advice-other', second.advice],
  ] as const) {
    const node = element(id)
    node.textContent = words
    node.lang = second.htmlLang
  }
}
