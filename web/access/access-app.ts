import { element, setText } from '../shared/dom.js'
import { createMessageLine, createStaffPage } from '../shared/staff-page.js'
import { signInAgainIf } from '../shared/staff-session.js'
import { createViewTabs } from '../shared/view-tabs.js'
import { createAccessApi } from './access-api.js'
import { failureText, type AccessContext } from './access-context.js'
import { accessText, type View } from './access-text.js'
import { createAccountsView } from './accounts-view.js'
import { createAuditView } from './audit-view.js'
import { createDialogs } from './dialogs.js'
import { createSessionsView } from './sessions-view.js'
import { createTerminalsView } from './terminals-view.js'

const views: View[] = ['accounts', 'sessions', 'audit', 'terminals']
/** The tabs that change things, and so are an administrator's only. */
const adminViews: ReadonlySet<View> = new Set(['accounts', 'terminals'])

const page = createStaffPage({ langKey: 'staff.lang', texts: accessText })
let view: View = 'accounts'

const who = element('who')
const tabs = createViewTabs(element('views'), views)
const tell = createMessageLine(element('message'))

function fail(error: unknown) {
  if (signInAgainIf(error)) return
  tell(failureText(error, page.text()), 'error')
}

function renderStatic() {
  page.renderStatic()
  tabs.label(page.text().viewsLabel, page.text().views)
}

async function start() {
  renderStatic()
  const token = page.readSession()
  if (!token) return
  const api = createAccessApi({ token })
  const principal = await api.me()
  if (principal.role !== 'bureau') return page.refuse('forbidden')
  const admin = principal.admin === true
  const ctx: AccessContext = {
    api,
    admin,
    me: principal.sub,
    lang: page.lang,
    t: page.text,
    dialogs: createDialogs(),
    tell,
    fail,
  }
  const tabViews = {
    accounts: createAccountsView(ctx),
    sessions: createSessionsView(ctx),
    audit: createAuditView(ctx),
    terminals: createTerminalsView(ctx),
  }
  const showView = (next: View) => {
    if (next !== view) tell(null)
    view = next
    tabs.show(view)
    // A tab reads its list again each time it is shown.
    tabViews[view].refresh().catch(fail)
  }
  const renderAll = () => {
    renderStatic()
    const t = page.text()
    setText(who, `${t.roles.bureau} · ${principal.sub}${admin ? ` · ${t.admin}` : ''}`)
    for (const name of views) tabViews[name].render()
  }
  for (const button of tabs.buttons()) {
    const name = button.dataset.view as View
    button.hidden = !admin && adminViews.has(name)
    button.addEventListener('click', () => showView(name))
  }
  page.onLanguageChange(renderAll)
  document.body.dataset.admin = String(admin)
  renderAll()
  const asked = new URLSearchParams(location.search).get('tab') as View | null
  const first =
    asked && views.includes(asked) && (admin || !adminViews.has(asked))
      ? asked
      : admin
        ? 'accounts'
        : 'sessions'
  showView(first)
  element('page').dataset.ready = 'true'
}

start().catch(fail)
