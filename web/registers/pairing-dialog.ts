import * as z from 'zod/mini'
import { AccessRefused, createApiClient } from '../shared/api-client.js'
import { formatCixiTime } from '../shared/cixi-time.js'
import type { Lang } from '../shared/language.js'
import { describeRefusal, refusalOf } from '../shared/refusal-text.js'
import type { RegisterRecord, Sheet } from './registers-contract.js'

const pairingSchema = z.object({
  code: z.string(),
  link: z.string(),
  qrSvg: z.string(),
  expiresAt: z.string(),
  busId: z.string(),
  replacedSessions: z.optional(z.number()),
})
type Pairing = z.infer<typeof pairingSchema>

const pairingText = {
  zh: {
    action: '绑定手机',
    title: (name: string) => `为 ${name} 绑定手机`,
    intro:
      '请照管员用自己的手机扫描二维码，或在手机上打开下面的地址并输入配对码。配对后，这部手机即可用于校车点名。',
    bus: (bus: string) => `校车 ${bus}`,
    code: '配对码',
    until: (hhmm: string) => `10分钟内有效，至 ${hhmm}`,
    expired: '配对码已过期，请生成新的。',
    loading: '正在生成配对码…',
    again: '生成新配对码',
    replace: '换手机：注销其他手机并生成配对码',
    replaceConfirm: '此照管员已配对的其他手机将立即退出。确定吗？',
    replaced: (n: number) => `已注销 ${n} 部其他手机。`,
    close: '关闭',
    failed: '无法生成配对码',
    refusals: {
      reasons: {
        not_an_attendant: '只有照管员可以绑定手机',
        attendant_without_bus: '登记表中没有给这位照管员分配校车：请先分配校车',
      },
      codes: {
        not_found: '登记表中找不到这位工作人员',
        unprocessable: '这位工作人员不能绑定手机',
        forbidden: '没有权限为这位照管员绑定手机',
        bad_request: '请求有误，请刷新后再试',
      },
    },
  },
  en: {
    action: 'Pair phone',
    title: (name: string) => `Pair a phone for ${name}`,
    intro:
      'Have the attendant scan the QR code with their own phone, or open the address below on it and type the code. The phone then takes the roll on the bus.',
    bus: (bus: string) => `Bus ${bus}`,
    code: 'Pairing code',
    until: (hhmm: string) => `Valid for 10 minutes, until ${hhmm}`,
    expired: 'The code has expired: make a new one.',
    loading: 'Making a pairing code…',
    again: 'New code',
    replace: 'New phone: sign out the others and make a code',
    replaceConfirm: 'The attendant’s other paired phones will be signed out at once. Go ahead?',
    replaced: (n: number) => `${n} other phones signed out.`,
    close: 'Close',
    failed: 'No pairing code could be made',
    refusals: {
      reasons: {
        not_an_attendant: 'Only an attendant pairs a phone',
        attendant_without_bus: 'The registers give this attendant no bus: assign one first',
      },
      codes: {
        not_found: 'This staff member is not in the registers',
        unprocessable: 'This staff member cannot pair a phone',
        forbidden: 'You may not pair a phone for this attendant',
        bad_request: 'The request was malformed; reload and try again',
      },
    },
  },
} satisfies Record<Lang, unknown>

function add<K extends keyof HTMLElementTagNameMap>(parent: HTMLElement, tag: K, className?: string) {
  const node = document.createElement(tag)
  if (className) node.className = className
  parent.append(node)
  return node
}

/**
 * "Pair phone" on an attendant's row of the staff register: a dialog with a pairing code for that
 * attendant's phone, as a QR code and typed out, and when it stops working.
 */
export function createPairingDialog(options: { token: string; lang(): Lang; fail(error: unknown): void }) {
  const client = createApiClient({ token: options.token })
  const dialog = add(document.body, 'dialog', 'pairing-dialog')
  dialog.id = 'pairing-dialog'
  dialog.setAttribute('aria-labelledby', 'pairing-title')
  const title = add(dialog, 'h2')
  title.id = 'pairing-title'
  const intro = add(dialog, 'p', 'note')
  const busLine = add(dialog, 'p', 'pairing-bus')
  const body = add(dialog, 'div', 'pairing-body')
  const qr = add(body, 'img', 'pairing-qr')
  const codeBox = add(body, 'div', 'pairing-code-box')
  const codeLabel = add(codeBox, 'p', 'pairing-code-label')
  const code = add(codeBox, 'p', 'pairing-code')
  code.id = 'pairing-code'
  const link = add(codeBox, 'p', 'pairing-link')
  const expiry = add(codeBox, 'p', 'pairing-expiry')
  const status = add(dialog, 'p', 'pairing-status')
  status.setAttribute('role', 'status')
  const buttons = add(dialog, 'div', 'dialog-buttons')
  const replaceButton = add(buttons, 'button')
  const againButton = add(buttons, 'button')
  const closeButton = add(buttons, 'button', 'primary')
  for (const button of [replaceButton, againButton, closeButton]) button.type = 'button'

  let staff: { code: string; name: string } | null = null
  let pairing: Pairing | null = null
  let note: string | null = null
  let expiryTimer: ReturnType<typeof setTimeout> | undefined
  const t = () => pairingText[options.lang()]

  function render() {
    const words = t()
    title.textContent = words.title(staff?.name ?? '')
    intro.textContent = words.intro
    busLine.textContent = pairing ? words.bus(pairing.busId) : ''
    const expired = pairing !== null && Date.parse(pairing.expiresAt) <= Date.now()
    body.hidden = pairing === null || expired
    codeLabel.textContent = words.code
    code.textContent = pairing?.code ?? ''
    link.textContent = pairing?.link.split('#')[0] ?? ''
    expiry.textContent = pairing ? words.until(formatCixiTime(Date.parse(pairing.expiresAt))) : ''
    if (pairing) qr.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(pairing.qrSvg)}`
    qr.alt = pairing ? `QR: ${pairing.link.split('#')[0]}` : ''
    status.textContent = note ?? (expired ? words.expired : pairing ? '' : words.loading)
    replaceButton.textContent = words.replace
    againButton.textContent = words.again
    closeButton.textContent = words.close
  }

  async function issue(replace: boolean) {
    pairing = null
    note = null
    render()
    try {
      const answer = await client.post('/api/pairings', { staffCode: staff!.code, replace }, pairingSchema)
      pairing = answer
      note = replace ? t().replaced(answer.replacedSessions ?? 0) : null
      clearTimeout(expiryTimer)
      expiryTimer = setTimeout(render, Math.max(0, Date.parse(answer.expiresAt) - Date.now()) + 500)
    } catch (error) {
      if (error instanceof AccessRefused && error.kind === 'unauthenticated') {
        dialog.close()
        return options.fail(error)
      }
      note = `${t().failed}: ${describeRefusal(refusalOf(error), t().refusals, options.lang())}`
    }
    render()
  }

  replaceButton.addEventListener('click', () => {
    if (window.confirm(t().replaceConfirm)) void issue(true)
  })
  againButton.addEventListener('click', () => void issue(false))
  closeButton.addEventListener('click', () => dialog.close())
  dialog.addEventListener('close', () => {
    clearTimeout(expiryTimer)
    // The code stays valid for its ten minutes, but leaves the screen with the dialog.
    pairing = null
  })

  return {
    /** The row's button, for an attendant in the staff register; nothing for any other row. */
    actionFor(sheet: Sheet, key: string, record: RegisterRecord): HTMLButtonElement | null {
      if (sheet.register !== 'staff' || record.role !== 'attendant') return null
      const button = document.createElement('button')
      button.type = 'button'
      button.className = 'small'
      button.dataset.action = 'pair'
      button.textContent = t().action
      button.setAttribute('aria-label', `${t().action} ${String(record.name ?? key)}`)
      button.addEventListener('click', () => {
        staff = { code: key, name: String(record.name ?? key) }
        dialog.showModal()
        void issue(false)
      })
      return button
    },
  }
}
