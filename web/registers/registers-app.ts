import { takeAccessToken } from '../shared/access-link.js'
import { AccessRefused } from '../shared/api-client.js'
import { element, setText } from '../shared/dom.js'
import { showErrorPage } from '../shared/error-page.js'
import { chooseLanguage, otherLang, type Lang } from '../shared/language.js'
import { createChangeLog } from './change-log.js'
import { createDownloads } from './downloads.js'
import { createImportWizard } from './import-wizard.js'
import { failureMessage, type PageContext } from './page-context.js'
import { createRecordForms } from './record-form.js'
import { createRegisterTable } from './register-table.js'
import { createRegistersApi } from './registers-api.js'
import { registersText, type ErrorKind, type RegistersText, type View } from './registers-text.js'

const keys = { token: 'registers.accessToken', lang: 'registers.lang' }
const views: View[] = ['records', 'import', 'downloads', 'changes']

const storage = window.localStorage
let lang: Lang = chooseLanguage(storage.getItem(keys.lang), navigator.languages)
let view: View = 'records'
const text = (): RegistersText => registersText[lang]

const ui = {
  language: element<HTMLButtonElement>('language'),
  who: element('who'),
  nav: element('views'),
  message: element('message'),
}

function refuse(kind: ErrorKind) {
  const words = (t: RegistersText) => ({
    htmlLang: t.htmlLang,
    title: t.errorTitle[kind],
    advice: t.errorAdvice[kind],
  })
  showErrorPage(kind, words(text()), words(registersText[otherLang(lang)]))
}

/** A line above the page: what was saved or removed, or what went wrong. */
function tell(message: string | null, kind: 'done' | 'error' = 'done') {
  ui.message.hidden = message === null
  ui.message.className = `message ${kind}`
  setText(ui.message, message ?? '')
}

function fail(error: unknown) {
  if (error instanceof AccessRefused) return refuse(error.kind)
  tell(failureMessage(error, text()) ?? String(error), 'error')
}

function renderStatic() {
  const t = text()
  document.documentElement.lang = t.htmlLang
  document.title = t.title
  for (const node of document.querySelectorAll<HTMLElement>('[data-text]')) {
    const value = t[node.dataset.text as keyof RegistersText]
    if (typeof value === 'string') setText(node, value)
  }
  setText(ui.language, t.otherLanguage)
  ui.language.lang = otherLang(lang) === 'zh' ? 'zh-CN' : 'en'
  ui.nav.setAttribute('aria-label', t.viewsLabel)
  for (const button of ui.nav.querySelectorAll<HTMLButtonElement>('button[data-view]'))
    setText(button, t.views[button.dataset.view as View])
}

function showView(next: View) {
  if (next !== view) tell(null)
  view = next
  for (const name of views) {
    element(`view-${name}`).hidden = name !== view
    const button = ui.nav.querySelector<HTMLButtonElement>(`button[data-view="${name}"]`)
    if (name === view) button?.setAttribute('aria-current', 'page')
    else button?.removeAttribute('aria-current')
  }
}

async function start() {
  renderStatic()
  const { token } = takeAccessToken({ location, history, storage }, { storageKey: keys.token })
  if (!token) return refuse('no_token')
  const api = createRegistersApi({ token })
  const principal = await api.me()
  if (principal.role !== 'bureau' && principal.role !== 'school') return refuse('forbidden')
  const role = principal.role
  const sheets = await api.sheets()
  if (sheets.length === 0) return refuse('forbidden')

  let refreshes: Array<() => Promise<void>> = []
  const ctx: PageContext = {
    api,
    role,
    sheets,
    lang: () => lang,
    t: text,
    sheetName: (sheet) => (lang === 'zh' ? sheet.zh : sheet.en),
    fail,
    changed: () => {
      for (const refresh of refreshes) refresh().catch(fail)
    },
  }
  const forms = createRecordForms(ctx, (message) => tell(message))
  const table = createRegisterTable(ctx, forms)
  const wizard = createImportWizard(ctx)
  const downloads = createDownloads(ctx)
  const changeLog = createChangeLog(ctx)
  refreshes = role === 'bureau' ? [table.refresh, changeLog.refresh] : [table.refresh]

  const renderAll = () => {
    renderStatic()
    const t = text()
    setText(
      ui.who,
      `${t.roles[role]} · ${principal.role === 'school' ? (principal.schoolId ?? '') : principal.sub}`,
    )
    table.render()
    wizard.render()
    downloads.render()
    changeLog.render()
  }
  const changesButton = ui.nav.querySelector<HTMLButtonElement>('button[data-view="changes"]')
  if (changesButton) changesButton.hidden = role !== 'bureau'
  for (const button of ui.nav.querySelectorAll<HTMLButtonElement>('button[data-view]'))
    button.addEventListener('click', () => showView(button.dataset.view as View))
  ui.language.addEventListener('click', () => {
    lang = otherLang(lang)
    storage.setItem(keys.lang, lang)
    renderAll()
  })
  document.body.dataset.role = role
  showView('records')
  renderAll()
  element('page').dataset.ready = 'true'
  await Promise.all(refreshes.map((refresh) => refresh()))
}

start().catch(fail)
