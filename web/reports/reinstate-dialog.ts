import { element, setText } from '../shared/dom.js'
import { refusalOf } from '../shared/refusal-text.js'
import { signInAgainIf } from '../shared/staff-session.js'
import { failureText, type PageContext } from './page-context.js'

interface Driver {
  key: string
  name: string
}

/**
 * The bureau reinstating a driver the score took off school-bus duty: a note is asked for (the
 * retraining done, the decision), and the server's refusal is shown in the page's words inside the
 * dialog. `reinstated` follows a reinstatement; `stale` a refusal saying no removal stands (someone
 * else reinstated the driver, or the removal lapsed), for the page to read the score again.
 */
export function createReinstateDialog(
  ctx: PageContext,
  on: { reinstated(driver: Driver): void; stale(): void },
) {
  const ui = {
    dialog: element<HTMLDialogElement>('reinstate-dialog'),
    form: element<HTMLFormElement>('reinstate-form'),
    title: element('reinstate-title'),
    warning: element('reinstate-warning'),
    refused: element('reinstate-refused'),
    noteLabel: element('reinstate-note-label'),
    note: element<HTMLTextAreaElement>('reinstate-note'),
    cancel: element<HTMLButtonElement>('reinstate-cancel'),
    ok: element<HTMLButtonElement>('reinstate-ok'),
  }
  let driver: Driver | null = null
  let busy = false

  const refuse = (text: string | null) => {
    ui.refused.hidden = text === null
    setText(ui.refused, text ?? '')
    if (text !== null) ui.refused.focus()
  }

  function render() {
    const s = ctx.t().scores
    setText(ui.title, driver ? s.reinstateTitle(driver.name) : '')
    setText(ui.warning, s.reinstateWarning)
    setText(ui.noteLabel, s.noteLabel)
    setText(ui.cancel, s.cancel)
    setText(ui.ok, s.confirmReinstate)
  }

  ui.form.addEventListener('submit', (event) => {
    event.preventDefault()
    if (!driver || busy) return
    const note = ui.note.value.trim()
    if (!note) {
      refuse(ctx.t().scores.noteRequired)
      ui.note.focus()
      return
    }
    const asked = driver
    busy = true
    ui.ok.disabled = true
    ctx.api
      .reinstateDriver(asked.key, note)
      .then(() => {
        ui.dialog.close()
        on.reinstated(asked)
      })
      .catch((error: unknown) => {
        if (signInAgainIf(error)) return
        refuse(failureText(error, ctx.t(), ctx.t().scores.refusalCodes))
        if (refusalOf(error).reason === 'no_removal') on.stale()
      })
      .finally(() => {
        busy = false
        ui.ok.disabled = false
      })
  })
  ui.note.addEventListener('input', () => refuse(null))
  ui.cancel.addEventListener('click', () => ui.dialog.close())
  ui.dialog.addEventListener('close', () => {
    driver = null
    ui.note.value = ''
    refuse(null)
  })

  return {
    render,
    open(next: Driver) {
      driver = next
      ui.note.value = ''
      refuse(null)
      render()
      ui.dialog.showModal()
      ui.note.focus()
    },
  }
}
