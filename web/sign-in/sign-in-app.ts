import * as z from 'zod/mini'
import { errorBodySchema } from '../shared/api-client.js'
import { formatCixiTime } from '../shared/cixi-time.js'
import { element, setText } from '../shared/dom.js'
import { createStaffPage } from '../shared/staff-page.js'
import { safeNextPath, storeStaffToken } from '../shared/staff-session.js'
import { lockedUntilMs, signInProblem, type RefusedAnswer } from './sign-in-problem.js'
import { signInText, type SignInProblem } from './sign-in-text.js'

const page = createStaffPage({ langKey: 'staff.lang', texts: signInText })
const text = page.text

const signedInSchema = z.object({
  token: z.string(),
  principal: z.object({ role: z.string() }),
})

const ui = {
  form: element<HTMLFormElement>('sign-in-form'),
  username: element<HTMLInputElement>('username'),
  password: element<HTMLInputElement>('password'),
  newFields: element<HTMLFieldSetElement>('new-password-fields'),
  newPassword: element<HTMLInputElement>('new-password'),
  repeat: element<HTMLInputElement>('repeat-password'),
  submit: element<HTMLButtonElement>('submit'),
  error: element('error'),
  notice: element('notice'),
}

/** The problem shown, kept so that a change of language tells it again in the other. */
let shown: { problem: SignInProblem; lockedUntil: number | null } | null = null
let busy = false

function render() {
  page.renderStatic()
  const t = text()
  setText(ui.submit, busy ? t.signingIn : ui.newFields.hidden ? t.signIn : t.changeAndSignIn)
  ui.submit.disabled = busy
  ui.error.hidden = shown === null
  ui.error.dataset.problem = shown?.problem ?? ''
  if (shown) {
    const until = shown.lockedUntil === null ? null : formatCixiTime(shown.lockedUntil)
    setText(ui.error, shown.problem === 'locked' ? t.locked(until) : t.problems[shown.problem])
  }
  setText(ui.notice, t.signedOut)
}

function show(problem: SignInProblem | null, lockedUntil: number | null = null) {
  shown = problem === null ? null : { problem, lockedUntil }
  render()
  if (problem) ui.error.focus()
}

/** Both the bureau and the schools start their day at the registers. */
const homeByRole: Record<string, string> = { bureau: '/registers', school: '/registers' }

/** Where to go once signed in: the page that sent the browser here, else the staff's home page. */
function destination(role: string): string {
  const next = safeNextPath(new URLSearchParams(location.search).get('next'), location.origin)
  if (next) return next
  return homeByRole[role] ?? '/registers'
}

async function submit() {
  const username = ui.username.value.trim()
  const password = ui.password.value
  if (!username || !password) return show('missing')
  const changing = !ui.newFields.hidden
  if (changing) {
    if (ui.newPassword.value.length < 10) return show('policy')
    if (ui.newPassword.value !== ui.repeat.value) return show('mismatch')
  }
  busy = true
  show(null)
  let response: Response
  try {
    response = await fetch('/api/access/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username,
        password,
        ...(changing ? { newPassword: ui.newPassword.value } : {}),
      }),
      signal: AbortSignal.timeout(20_000),
    })
  } catch {
    busy = false
    return show('network')
  }
  const body: unknown = await response.json().catch(() => undefined)
  busy = false
  if (response.ok) {
    const signedIn = signedInSchema.safeParse(body)
    if (!signedIn.success) return show('network')
    storeStaffToken(signedIn.data.token)
    location.replace(destination(signedIn.data.principal.role))
    return
  }
  const error = errorBodySchema.safeParse(body)
  const answer: RefusedAnswer = error.success
    ? { status: response.status, ...error.data.error }
    : { status: response.status }
  const problem = signInProblem(answer)
  if (problem === 'must_change') {
    ui.newFields.hidden = false
    show(problem)
    ui.newPassword.focus()
    return
  }
  if (problem === 'wrong' || problem === 'locked') ui.password.value = ''
  show(problem, problem === 'locked' ? lockedUntilMs(answer.message) : null)
}

ui.form.addEventListener('submit', (event) => {
  event.preventDefault()
  if (!busy) void submit()
})
page.onLanguageChange(render)
ui.notice.hidden = new URLSearchParams(location.search).get('signedOut') !== '1'
render()
ui.username.focus()
element('page').dataset.ready = 'true'
