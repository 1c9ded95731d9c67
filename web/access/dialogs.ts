import { element, setText } from '../shared/dom.js'

/**
 * The page's two shared dialogs: asking to confirm a change that cannot be undone (with a reason
 * when one is kept), and showing a secret once (a one-time password, a terminal's credential),
 * emptied again as it closes so that it stays in no page.
 */
export function createDialogs() {
  const confirm = {
    dialog: element<HTMLDialogElement>('confirm-dialog'),
    form: element<HTMLFormElement>('confirm-form'),
    title: element('confirm-title'),
    warning: element('confirm-warning'),
    reasonField: element('confirm-reason-field'),
    reason: element<HTMLInputElement>('confirm-reason'),
    cancel: element<HTMLButtonElement>('confirm-cancel'),
  }
  const secret = {
    dialog: element<HTMLDialogElement>('secret-dialog'),
    title: element('secret-title'),
    note: element('secret-note'),
    values: element('secret-values'),
    close: element<HTMLButtonElement>('secret-close'),
  }
  let answer: ((value: { reason: string } | null) => void) | null = null
  const settle = (value: { reason: string } | null) => {
    const done = answer
    answer = null
    if (confirm.dialog.open) confirm.dialog.close()
    done?.(value)
  }
  confirm.form.addEventListener('submit', (event) => {
    event.preventDefault()
    const reason = confirm.reason.value.trim()
    if (!confirm.reasonField.hidden && !reason) {
      confirm.reason.setCustomValidity(' ')
      confirm.reason.reportValidity()
      confirm.reason.focus()
      return
    }
    settle({ reason })
  })
  confirm.reason.addEventListener('input', () => confirm.reason.setCustomValidity(''))
  confirm.cancel.addEventListener('click', () => settle(null))
  confirm.dialog.addEventListener('close', () => settle(null))
  secret.close.addEventListener('click', () => secret.dialog.close())
  secret.dialog.addEventListener('close', () => secret.values.replaceChildren())

  return {
    /** Asks before a change; answers the reason given (empty without one), or null when cancelled. */
    ask(words: { title: string; warning: string; withReason: boolean }): Promise<{ reason: string } | null> {
      settle(null)
      setText(confirm.title, words.title)
      setText(confirm.warning, words.warning)
      confirm.reasonField.hidden = !words.withReason
      confirm.reason.value = ''
      confirm.dialog.showModal()
      if (words.withReason) confirm.reason.focus()
      return new Promise((resolve) => (answer = resolve))
    },

    /** Shows a secret once, beside what it is for. */
    showSecret(words: {
      title: string
      note: string
      values: [label: string, value: string, name: string][]
    }) {
      setText(secret.title, words.title)
      setText(secret.note, words.note)
      secret.values.replaceChildren(
        ...words.values.flatMap(([label, value, name]) => {
          const dt = document.createElement('dt')
          dt.textContent = label
          const dd = document.createElement('dd')
          dd.textContent = value
          dd.dataset.name = name
          return [dt, dd]
        }),
      )
      secret.dialog.showModal()
      secret.close.focus()
    },
  }
}

export type Dialogs = ReturnType<typeof createDialogs>
