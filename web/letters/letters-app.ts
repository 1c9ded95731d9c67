import { AccessRefused, ApiRejected } from '../shared/api-client.js'
import { formatCixiDate } from '../shared/cixi-time.js'
import { element, setText } from '../shared/dom.js'
import { describeRefusal, refusalOf } from '../shared/refusal-text.js'
import { createMessageLine, createStaffPage } from '../shared/staff-page.js'
import { signInAgainIf } from '../shared/staff-session.js'
import { renderLetter } from './letter-sheet.js'
import { createLettersApi, type LettersApi } from './letters-api.js'
import type { LetterBatch, School, StatusRow } from './letters-contract.js'
import { lettersText } from './letters-text.js'

const page = createStaffPage({ langKey: 'letters.lang', texts: lettersText })
const text = page.text

const ui = {
  who: element('who'),
  form: element<HTMLFormElement>('issue-form'),
  school: element<HTMLSelectElement>('school'),
  pupils: element<HTMLTextAreaElement>('pupils'),
  issue: element<HTMLButtonElement>('issue'),
  print: element<HTMLButtonElement>('print'),
  letters: element('letters'),
  statusRefresh: element<HTMLButtonElement>('status-refresh'),
  status: element<HTMLTableElement>('status'),
}

let api: LettersApi
let role: 'bureau' | 'school' = 'school'
let sub = ''
let schools: School[] = []
let batch: LetterBatch | null = null
let status: StatusRow[] | null = null
let issuing = false

const tell = createMessageLine(element('message'))

function fail(error: unknown) {
  if (signInAgainIf(error)) return
  // A refusal of this token's scope is worded by its reason (another school's pupils), else as such.
  if (!(error instanceof ApiRejected) && !(error instanceof AccessRefused)) console.error(error)
  tell(describeRefusal(refusalOf(error), text().refusals, page.lang()), 'error')
}

const schoolName = (school: School) => (page.lang() === 'en' && school.nameEn ? school.nameEn : school.nameZh)

function renderStatic() {
  page.renderStatic()
  const t = text()
  setText(ui.who, `${t.roles[role]} · ${sub}`)
  setText(ui.issue, issuing ? t.issuing : t.issue)
  setText(ui.print, t.print)
  ui.issue.disabled = issuing
  ui.print.disabled = !batch || batch.letters.length === 0
  const chosen = ui.school.value
  ui.school.replaceChildren(
    ...(role === 'bureau' ? [new Option(t.chooseSchool, '')] : []),
    ...schools.map((school) => new Option(`${schoolName(school)}（${school.id}）`, school.id)),
  )
  ui.school.value = chosen || (role === 'school' ? (schools[0]?.id ?? '') : '')
  ui.school.disabled = role === 'school'
}

function renderStatus() {
  const t = text()
  const h = t.statusHeaders
  const head = ui.status.createTHead()
  const headRow = document.createElement('tr')
  for (const label of [h.pupilCode, h.pupil, h.guardian, h.relation, h.phone, h.enrolled, h.letter]) {
    const th = document.createElement('th')
    th.scope = 'col'
    th.textContent = label
    headRow.append(th)
  }
  head.replaceChildren(headRow)
  const body = ui.status.tBodies[0] ?? ui.status.createTBody()
  ui.status.setAttribute('aria-busy', String(status === null))
  if (!status || status.length === 0) {
    const td = document.createElement('td')
    td.colSpan = 7
    td.className = 'empty'
    td.textContent = status ? t.noPupils : ui.school.value ? t.loading : t.chooseSchool
    const tr = document.createElement('tr')
    tr.append(td)
    body.replaceChildren(tr)
    return
  }
  body.replaceChildren(
    ...status.map((row) => {
      const tr = document.createElement('tr')
      tr.dataset.pupil = row.pupilCode
      tr.dataset.enrolled = String(row.enrolledPhones)
      const cells = [
        row.pupilCode,
        row.pupilName,
        row.guardianName,
        row.relation ?? '',
        row.phoneMasked ?? '',
        row.enrolledPhones > 0 ? t.enrolledPhones(row.enrolledPhones) : t.notEnrolled,
        row.letterExpiresAt ? t.letterUntil(formatCixiDate(Date.parse(row.letterExpiresAt))) : t.noLetter,
      ]
      for (const [i, value] of cells.entries()) {
        const td = document.createElement('td')
        td.textContent = value
        if (i === 5) td.className = row.enrolledPhones > 0 ? 'enrolled' : 'not-enrolled'
        tr.append(td)
      }
      return tr
    }),
  )
}

function renderAll() {
  renderStatic()
  renderStatus()
}

async function loadStatus() {
  const schoolCode = ui.school.value
  status = null
  renderStatus()
  if (!schoolCode) return
  status = await api.status(schoolCode)
  if (ui.school.value === schoolCode) renderStatus()
}

const pupilCodesOf = (typed: string) =>
  typed
    .split(/[\s,，;；、]+/)
    .map((code) => code.trim())
    .filter(Boolean)

async function issueLetters() {
  const pupilCodes = pupilCodesOf(ui.pupils.value)
  const schoolCode = ui.school.value || undefined
  if (!schoolCode && pupilCodes.length === 0) return tell(text().chooseSchool, 'error')
  issuing = true
  tell(null)
  renderStatic()
  try {
    batch = await api.letters({ schoolCode, ...(pupilCodes.length ? { pupilCodes } : {}) })
    ui.letters.replaceChildren(...batch.letters.map(renderLetter))
    const t = text()
    const names = batch.withoutPhone.map((g) => `${g.guardianName}（${g.pupilName}）`).join('、')
    tell(
      [
        batch.letters.length ? t.issued(batch.letters.length) : t.noLetters,
        names ? t.withoutPhone(names) : '',
      ]
        .filter(Boolean)
        .join(' '),
    )
  } finally {
    issuing = false
    renderStatic()
  }
  await loadStatus()
}

async function start() {
  renderAll()
  // Without a session the browser goes to sign in, and comes back here afterwards.
  const token = page.readSession()
  if (!token) return
  api = createLettersApi({ token })
  const principal = await api.me()
  if (principal.role !== 'bureau' && principal.role !== 'school') return page.refuse('forbidden')
  role = principal.role
  sub = principal.sub
  schools = await api.schools()
  document.body.dataset.role = role
  renderAll()
  // The letters stay as they are: each is printed in both languages.
  page.onLanguageChange(renderAll)
  ui.form.addEventListener('submit', (event) => {
    event.preventDefault()
    if (!issuing) issueLetters().catch(fail)
  })
  ui.print.addEventListener('click', () => window.print())
  ui.school.addEventListener('change', () => {
    tell(null)
    loadStatus().catch(fail)
  })
  ui.statusRefresh.addEventListener('click', () => loadStatus().catch(fail))
  element('page').dataset.ready = 'true'
  await loadStatus()
}

start().catch(fail)
