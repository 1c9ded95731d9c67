import { AccessRefused } from '../shared/api-client.js'
import { formatCixiDate } from '../shared/cixi-time.js'
import { element, setText } from '../shared/dom.js'
import { createMessageLine, createStaffPage } from '../shared/staff-page.js'
import { signInAgainIf } from '../shared/staff-session.js'
import { createViewTabs } from '../shared/view-tabs.js'
import { createComplianceView } from './compliance-view.js'
import { failureText, type PageContext } from './page-context.js'
import { createReportView } from './report-view.js'
import { createReportsApi } from './reports-api.js'
import type { Compliance } from './reports-contract.js'
import { reportsText, type View } from './reports-text.js'
import { createScoresView } from './scores-view.js'

const views: View[] = ['reports', 'compliance', 'scores']

// The staff pages' language choice, shared with sign-in, the front door and the access page.
const page = createStaffPage({ langKey: 'staff.lang', texts: reportsText })
let view: View = 'reports'

const who = element('who')
const tabs = createViewTabs(element('views'), views)
const tell = createMessageLine(element('message'))

function fail(error: unknown) {
  if (signInAgainIf(error)) return
  if (error instanceof AccessRefused && error.kind === 'forbidden') return page.refuse('forbidden')
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
  const api = createReportsApi({ token })
  const [principal, { config }] = await Promise.all([api.me(), api.pageConfig()])
  if (principal.role !== 'bureau' && principal.role !== 'school') return page.refuse('forbidden')
  const role = principal.role
  let todayCompliance: Compliance | null = null
  const ctx: PageContext = {
    api,
    role,
    lang: page.lang,
    t: page.text,
    today: formatCixiDate(Date.parse(config.now)),
    compliance: () => todayCompliance,
  }
  const reports = createReportView(ctx)
  const scores = createScoresView(ctx)
  const compliance = createComplianceView(ctx, (today) => {
    // The reports mark the buses and drivers out of compliance today; the scores name buses by plate.
    todayCompliance = today
    reports.render()
    scores.render()
  })

  const showView = (next: View) => {
    if (next !== view) tell(null)
    view = next
    tabs.show(view)
    const params = new URLSearchParams(location.search)
    params.set('tab', view)
    history.replaceState(null, '', `${location.pathname}?${params}${location.hash}`)
  }
  const renderAll = () => {
    renderStatic()
    const t = page.text()
    setText(
      who,
      `${t.roles[role]} · ${principal.role === 'school' ? (principal.schoolId ?? '') : principal.sub}`,
    )
    reports.render()
    compliance.render()
    scores.render()
  }
  for (const button of tabs.buttons())
    button.addEventListener('click', () => showView(button.dataset.view as View))
  page.onLanguageChange(renderAll)
  document.body.dataset.role = role
  renderAll()
  const asked = new URLSearchParams(location.search).get('tab') as View | null
  showView(asked && views.includes(asked) ? asked : 'reports')
  await Promise.all([reports.refresh(), compliance.refresh(), scores.refresh()])
  element('page').dataset.ready = 'true'
}

start().catch(fail)
