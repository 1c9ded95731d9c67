import { setText } from '../shared/dom.js'
import { signInAgainIf } from '../shared/staff-session.js'
import { failureText, type PageContext } from './page-context.js'
import type { DownloadedFile } from './reports-api.js'

/** Hands a fetched file to the browser to save under the name the server gave it. */
function saveFile(file: DownloadedFile): void {
  const link = document.createElement('a')
  link.href = URL.createObjectURL(file.blob)
  link.download = file.fileName
  link.click()
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000)
}

/**
 * A download button's work: the file fetched with the session in a header (never in a link), then
 * saved; the button busy meanwhile, and the status line saying what came of it.
 */
export async function downloadWith(
  ctx: PageContext,
  trigger: HTMLButtonElement,
  status: HTMLElement,
  fetchFile: () => Promise<DownloadedFile>,
): Promise<void> {
  trigger.disabled = true
  trigger.setAttribute('aria-busy', 'true')
  status.hidden = false
  status.classList.remove('error')
  setText(status, ctx.t().downloading)
  try {
    const file = await fetchFile()
    saveFile(file)
    setText(status, ctx.t().downloaded(file.fileName))
  } catch (error) {
    if (signInAgainIf(error)) return
    status.classList.add('error')
    setText(status, failureText(error, ctx.t()))
  } finally {
    trigger.disabled = false
    trigger.removeAttribute('aria-busy')
  }
}
