import { AccessRefused } from '../shared/api-client.js'
import { element, setText } from '../shared/dom.js'
import { button } from './cells.js'
import { failureMessage, type PageContext } from './page-context.js'

/**
 * The downloads: the blank template, the registers as one workbook (a school's holds its pupils),
 * and each register as CSV for the bureau. Files are fetched with the token in a header, never in
 * a link, then handed to the browser to save. Exports of pupils and guardians are logged.
 */
export function createDownloads(ctx: PageContext) {
  const ui = {
    heading: element('downloads-heading'),
    template: element<HTMLButtonElement>('download-template'),
    templateNote: element('template-note'),
    workbook: element<HTMLButtonElement>('download-workbook'),
    csvHeading: element('csv-heading'),
    csvList: element('csv-list'),
    loggedNote: element('logged-note'),
    status: element('download-status'),
  }
  let failure: string | null = null

  async function save(path: string, fileName: string, trigger: HTMLButtonElement) {
    trigger.disabled = true
    trigger.setAttribute('aria-busy', 'true')
    failure = null
    setText(ui.status, ctx.t().downloading)
    ui.status.hidden = false
    try {
      const blob = await ctx.api.download(path)
      const link = document.createElement('a')
      link.href = URL.createObjectURL(blob)
      link.download = fileName
      link.click()
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000)
      ui.status.hidden = true
      // An export is in the change log now.
      ctx.changed()
    } catch (error) {
      if (error instanceof AccessRefused) return ctx.fail(error)
      failure = failureMessage(error, ctx.t()) ?? ''
      setText(ui.status, failure)
    } finally {
      trigger.disabled = false
      trigger.removeAttribute('aria-busy')
    }
  }

  function render() {
    const t = ctx.t()
    setText(ui.heading, t.downloadsHeading)
    setText(ui.template, t.template)
    setText(ui.templateNote, t.templateNote)
    setText(ui.workbook, ctx.role === 'bureau' ? t.workbook : t.workbookSchool)
    setText(ui.csvHeading, t.csvHeading)
    setText(ui.loggedNote, t.loggedNote)
    const bureau = ctx.role === 'bureau'
    ui.csvHeading.hidden = ui.csvList.hidden = !bureau
    ui.csvList.replaceChildren(
      ...(bureau ? ctx.sheets : []).map((sheet) => {
        const item = document.createElement('li')
        const download: HTMLButtonElement = button(
          `${ctx.sheetName(sheet)}.csv`,
          () => void save(`/api/registers/${sheet.register}.csv`, `${sheet.en}.csv`, download),
        )
        download.dataset.register = sheet.register
        if (sheet.personal.length > 0) {
          download.classList.add('personal')
          download.append(
            ' ',
            Object.assign(document.createElement('span'), { className: 'tag', textContent: t.personal }),
          )
        }
        item.append(download)
        return item
      }),
    )
    if (failure !== null) setText(ui.status, failure)
  }

  ui.template.addEventListener(
    'click',
    () => void save('/api/registers/template.xlsx', 'registers-template.xlsx', ui.template),
  )
  ui.workbook.addEventListener(
    'click',
    () => void save('/api/registers/export.xlsx', 'registers.xlsx', ui.workbook),
  )

  return { render }
}
