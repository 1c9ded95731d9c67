import { element } from './dom.js'

interface ErrorWords {
  htmlLang: string
  title: string
  advice: string
}

/**
 * The page's `#error-page` section: its own where its HTML has one, else made after `#page` with the
 * same headings and paragraphs, so that a page need not carry the markup for a refusal it may never show.
 */
function errorSection(page: HTMLElement): HTMLElement {
  const found = document.getElementById('error-page')
  if (found) return found
  const section = document.createElement('section')
  section.id = 'error-page'
  section.className = 'error-page'
  for (const [tag, id] of [
    ['h1', 'error-title'],
    ['p', 'error-advice'],
    ['h2', 'error-title-other'],
    ['p', 'error-advice-other'],
  ] as const) {
    const node = document.createElement(tag)
    node.id = id
    section.append(node)
  }
  page.after(section)
  return section
}

/**
 * Instead of the page (`#page`): why this link shows nothing, in both languages, the reader's
 * first. `kind` stays on `#error-page` for tools that read the page rather than look at it.
 */
export function showErrorPage(kind: string, first: ErrorWords, second: ErrorWords) {
  const page = element('page')
  page.hidden = true
  const errorPage = errorSection(page)
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
