import * as z from 'zod/mini'
import { errorBodySchema } from '../shared/api-client.js'
import { element, setText } from '../shared/dom.js'
import { chooseLanguage, otherLang, type Lang } from '../shared/language.js'
import { problemOf, type Problem } from './enrol-errors.js'
import { modeOfPath, normaliseTypedCode, takeCodeFromLink } from './enrol-link.js'
import { enrolText, type EnrolText } from './enrol-text.js'

/**
 * Where each page keeps its session and language (web/parent/parent-app.ts, web/attendant/
 * attendant-state.ts): the phone's new session goes where the page it opens next looks for it.
 */
const destinations = {
  enrol: { tokenKey: 'parent.accessToken', langKey: 'parent.lang', page: '/parent' },
  pair: { tokenKey: 'attendant.accessToken', langKey: 'attendant.lang', page: '/attendant/' },
} as const
const requestTimeoutMs = 20_000

const redeemedSchema = z.object({ token: z.string(), expiresAt: z.string() })

const mode = modeOfPath(location.pathname)
const destination = destinations[mode]
const storage = window.localStorage
let lang: Lang = chooseLanguage(storage.getItem(destination.langKey), navigator.languages)
let problem: Problem | null = null
let finished = false
const text = (): EnrolText => enrolText[lang]

const ui = {
  title: element('title'),
  language: element<HTMLButtonElement>('language'),
  intro: element('intro'),
  form: element<HTMLFormElement>('form'),
  codeLabel: element('code-label'),
  code: element<HTMLInputElement>('code'),
  digitsField: element('digits-field'),
  digitsLabel: element('digits-label'),
  digits: element<HTMLInputElement>('digits'),
  digitsHint: element('digits-hint'),
  problem: element('problem'),
  submit: element<HTMLButtonElement>('submit'),
  done: element('done'),
}

function render() {
  const t = text()
  document.documentElement.lang = t.htmlLang
  document.title = t.title[mode]
  document.body.dataset.mode = mode
  setText(ui.title, t.title[mode])
  setText(ui.language, t.otherLanguage)
  ui.language.lang = otherLang(lang) === 'zh' ? 'zh-CN' : 'en'
  setText(ui.intro, t.intro[mode])
  setText(ui.codeLabel, t.codeLabel[mode])
  ui.code.placeholder = t.codePlaceholder
  ui.digitsField.hidden = mode !== 'enrol'
  setText(ui.digitsLabel, t.digitsLabel)
  setText(ui.digitsHint, t.digitsHint)
  setText(ui.submit, ui.submit.disabled && !finished ? t.working : t.submit[mode])
  ui.problem.hidden = problem === null
  ui.problem.dataset.problem = problem ?? ''
  setText(ui.problem, problem ? t.problems[problem] : '')
  ui.done.hidden = !finished
  setText(ui.done, finished ? t.done[mode] : '')
}

function show(next: Problem | null) {
  problem = next
  render()
  if (next === 'wrong_digits' || next === 'digits_format') ui.digits.select()
  else if (next === 'code_format') ui.code.select()
}

/** The server's answer: the session, or the problem to show. */
async function redeem(body: Record<string, string>): Promise<{ token: string } | { problem: Problem }> {
  let response: Response
  try {
    response = await fetch(`/api/access/${mode}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(requestTimeoutMs),
    })
  } catch {
    return { problem: 'network' }
  }
  const answer: unknown = await response.json().catch(() => undefined)
  if (response.ok) {
    const redeemed = redeemedSchema.safeParse(answer)
    return redeemed.success ? { token: redeemed.data.token } : { problem: 'network' }
  }
  const refused = errorBodySchema.safeParse(answer)
  return { problem: problemOf({ status: response.status, ...(refused.success ? refused.data.error : {}) }) }
}

async function submit() {
  const code = normaliseTypedCode(ui.code.value)
  if (!code) return show('code_format')
  const digits = ui.digits.value.replace(/\s/g, '')
  if (mode === 'enrol' && !/^\d{4}$/.test(digits)) return show('digits_format')
  ui.code.value = code
  ui.submit.disabled = true
  show(null)
  const answer = await redeem(mode === 'enrol' ? { code, phoneLast4: digits } : { code })
  if ('token' in answer) {
    storage.setItem(destination.tokenKey, answer.token)
    storage.setItem(destination.langKey, lang)
    finished = true
    render()
    // Replaced, not pushed: going back does not return to a code that is used up.
    location.replace(destination.page)
    return
  }
  ui.submit.disabled = false
  show(answer.problem)
}

function start() {
  const linked = takeCodeFromLink({ location, history })
  if (linked) ui.code.value = normaliseTypedCode(linked) ?? linked
  render()
  ui.language.addEventListener('click', () => {
    lang = otherLang(lang)
    storage.setItem(destination.langKey, lang)
    render()
  })
  ui.form.addEventListener('submit', (event) => {
    event.preventDefault()
    if (!ui.submit.disabled) void submit()
  })
  ui.digits.addEventListener('input', () => {
    ui.digits.value = ui.digits.value.replace(/\D/g, '').slice(0, 4)
  })
  element('page').dataset.ready = 'true'
  // A pairing link needs nothing more from the attendant; a letter's link asks for the digits.
  if (linked && mode === 'pair') void submit()
  else if (linked) ui.digits.focus()
  else ui.code.focus()
}

start()
