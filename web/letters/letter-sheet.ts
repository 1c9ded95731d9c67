import { formatCixiDate } from '../shared/cixi-time.js'
import type { Letter } from './letters-contract.js'

/** The address a guardian types when not scanning: the letter's link without its code. */
const pageAddress = (link: string) => link.split('#')[0]!

function add<K extends keyof HTMLElementTagNameMap>(
  parent: HTMLElement,
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  if (text !== undefined) node.textContent = text
  if (className) node.className = className
  parent.append(node)
  return node
}

/**
 * One printed page for one guardian of one pupil, in Chinese and English whatever the page's
 * language: the school, who it is for, the QR code and the code typed out, how to enrol, the expiry.
 */
export function renderLetter(letter: Letter): HTMLElement {
  const until = formatCixiDate(Date.parse(letter.expiresAt))
  const address = pageAddress(letter.link)
  const sheet = document.createElement('article')
  sheet.className = 'letter'
  sheet.dataset.pupil = letter.pupilCode

  const head = add(sheet, 'header', undefined, 'letter-head')
  add(head, 'p', letter.schoolName, 'letter-school')
  if (letter.schoolNameEn) add(head, 'p', letter.schoolNameEn, 'letter-school-en').lang = 'en'
  add(head, 'h2', '家长手机绑定通知书', 'letter-title')
  add(head, 'p', 'Enrolling your phone for the school bus', 'letter-title-en').lang = 'en'

  const who = add(sheet, 'dl', undefined, 'letter-who')
  const field = (zh: string, en: string, value: string) => {
    add(who, 'dt', `${zh} ${en}`)
    add(who, 'dd', value)
  }
  field('学生', 'Pupil', `${letter.pupilName}（${letter.pupilCode}）`)
  if (letter.className) field('班级', 'Class', letter.className)
  field(
    '家长',
    'Guardian',
    letter.relation ? `${letter.guardianName}（${letter.relation}）` : letter.guardianName,
  )
  field('登记手机', 'Phone on record', letter.phoneMasked)

  const codeBox = add(sheet, 'section', undefined, 'letter-code-box')
  const qr = add(codeBox, 'img', undefined, 'letter-qr')
  qr.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(letter.qrSvg)}`
  qr.alt = `QR: ${letter.link.split('#')[0]}`
  const typed = add(codeBox, 'div', undefined, 'letter-code-text')
  add(typed, 'p', '绑定码 Code', 'letter-code-label')
  add(typed, 'p', letter.code, 'letter-code')
  add(typed, 'p', `有效至 ${until} · Valid until ${until}`, 'letter-expiry')

  const zh = add(sheet, 'section', undefined, 'letter-steps')
  zh.lang = 'zh-CN'
  add(zh, 'h3', '如何绑定')
  const zhSteps = add(zh, 'ol')
  add(zhSteps, 'li', `用手机扫描上方二维码；或在手机浏览器中打开 ${address} 并输入绑定码。`)
  add(zhSteps, 'li', `输入学校登记的您的手机号码后4位（${letter.phoneMasked}）。`)
  add(zhSteps, 'li', '绑定后，这部手机即可查看孩子乘坐的校车位置和预计到站时间。')
  add(
    zh,
    'p',
    `绑定码只能使用一次，${until} 前有效；输错5次即作废。每位家长最多绑定3部手机，每部手机需要一份新通知书。请勿将绑定码交给他人。`,
    'letter-note',
  )

  const en = add(sheet, 'section', undefined, 'letter-steps')
  en.lang = 'en'
  add(en, 'h3', 'How to enrol')
  const enSteps = add(en, 'ol')
  add(
    enSteps,
    'li',
    `Scan the QR code above with your phone, or open ${address} in the phone’s browser and type the code.`,
  )
  add(
    enSteps,
    'li',
    `Type the last 4 digits of the phone number the school holds for you (${letter.phoneMasked}).`,
  )
  add(enSteps, 'li', 'The phone then shows where your child’s school bus is and when it will arrive.')
  add(
    en,
    'p',
    `The code works once, until ${until}, and stops after 5 wrong tries. Up to 3 phones per guardian, each with a new letter. Do not give the code to anyone else.`,
    'letter-note',
  )
  return sheet
}
