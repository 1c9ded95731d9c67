import { AccessRefused } from '../shared/api-client.js'
import { element, setText } from '../shared/dom.js'
import { createMessageLine, createStaffPage } from '../shared/staff-page.js'
import { signInAgainIf } from '../shared/staff-session.js'
import { createViewTabs } from '../shared/view-tabs.js'
import { createChangeLog } from './change-log.js'
import { createDownloads } from './downloads.js'
import { createImportWizard } from './import-wizard.js'
import { failureMessage, type PageContext } from './page-context.js'
import { createPairingDialog } from './pairing-dialog.js'
import { createRecordForms } from './record-form.js'
import { createRegisterTable } from './register-table.js'
import { createRegistersApi } from './registers-api.js'
import { registersText, type View } from './registers-text.js'

const views: View[] = ['records', 'import', 'downloads', 'changes']

const page = createStaffPage({ langKey: 'registers.lang', texts: registersText })
let view: View = 'records'

const who = element('who')
const tabs = createViewTabs(element('views'), views)
/** A line above the page: what was saved or removed, or what went wrong. */
const tell = createMessageLine(element('message'))

function fail(error: unknown) {
  if (signInAgainIf(error)) return
  if (error instanceof AccessRefused) return page.refuse(error.kind)
  tell(failureMessage(error, page.text()) ?? String(error), 'error')
}

function renderStatic() {
  page.renderStatic()
  tabs.label(page.text().viewsLabel, page.text().views)
}

function showView(next: View) {
  if (next !== view) tell(null)
  view = next
  tabs.show(view)
}

async function start() {
  renderStatic()
  const token = page.readSession()
  if (!token) return
  const api = createRegistersApi({ token })
  const principal = await api.me()
  if (principal.role !== 'bureau' && principal.role !== 'school') return page.refuse('forbidden')
  const role = principal.role
  const sheets = await api.sheets()
  if (sheets.length === 0) return page.refuse('forbidden')

  let refreshes: Array<() => Promise<void>> = []
  const ctx: PageContext = {
    api,
    role,
    sheets,
    lang: page.lang,
    t: page.text,
    sheetName: (sheet) => (page.lang() === 'zh' ? sheet.zh : sheet.en),
    fail,
    changed: () => {
      for (const refresh of refreshes) refresh().catch(fail)
    },
  }
  const forms = createRecordForms(ctx, (message) => tell(message))
  const pairing = createPairingDialog({ token, lang: page.lang, fail })
  const table = createRegisterTable(ctx, { ...forms, extra: pairing.actionFor })
  const wizard = createImportWizard(ctx)
  const downloads = createDownloads(ctx)
  const changeLog = createChangeLog(ctx)
  refreshes = role === 'bureau' ? [table.refresh, changeLog.refresh] : [table.refresh]

  const renderAll = () => {
    renderStatic()
    const t = page.text()
    setText(
      who,
      `${t.roles[role]} · ${principal.role === 'school' ? (principal.schoolId ?? '') : principal.sub}`,
    )
    table.render()
    wizard.render()
    downloads.render()
    changeLog.render()
  }
  for (const button of tabs.buttons()) {
    if (button.dataset.view === 'changes') button.hidden = role !== 'bureau'
    button.addEventListener('click', () => showView(button.dataset.view as View))
  }
  page.onLanguageChange(renderAll)
  document.body.dataset.role = role
  showView('records')
  renderAll()
  element('page').dataset.ready = 'true'
  await Promise.all(refreshes.map((refresh) => refresh()))
}

start().catch(fail)
