import type { Lang } from '../shared/language.js'
import type { Problem } from './enrol-errors.js'

type Mode = 'enrol' | 'pair'

export interface EnrolText {
  lang: Lang
  htmlLang: string
  otherLanguage: string
  title: Record<Mode, string>
  intro: Record<Mode, string>
  codeLabel: Record<Mode, string>
  codePlaceholder: string
  digitsLabel: string
  digitsHint: string
  submit: Record<Mode, string>
  working: string
  done: Record<Mode, string>
  problems: Record<Problem, string>
}

export const enrolText: Record<Lang, EnrolText> = {
  zh: {
    lang: 'zh',
    htmlLang: 'zh-CN',
    otherLanguage: 'English',
    title: { enrol: '绑定家长手机', pair: '绑定随车照管员手机' },
    intro: {
      enrol:
        '请输入学校发给您的通知书上的绑定码，以及学校登记的您的手机号码后4位。绑定后，这部手机即可查看孩子乘坐的校车。',
      pair: '请输入管理人员给您的配对码（10分钟内有效）。配对后，这部手机即可用于您所在校车的上下车点名。',
    },
    codeLabel: { enrol: '绑定码', pair: '配对码' },
    codePlaceholder: '例如 K7QM-3XPA-9TRD',
    digitsLabel: '手机号码后4位',
    digitsHint: '学校登记的号码，例如 138****1234 请输入 1234',
    submit: { enrol: '绑定这部手机', pair: '配对这部手机' },
    working: '正在核对…',
    done: { enrol: '已绑定，正在打开校车页面…', pair: '已配对，正在打开点名页面…' },
    problems: {
      code_format: '绑定码应为12位字母和数字，请对照通知书检查。',
      digits_format: '请输入4位数字。',
      unknown: '这个码无效或已作废，请向学校索取新的通知书。',
      used: '这个码已经使用过。如需再绑定一部手机，请向学校索取新的通知书。',
      expired: '这个码已过期，请向学校索取新的。',
      wrong_digits: '手机号码后4位与学校登记的不一致，请再试一次。多次输错后此码将作废。',
      too_many: '输错次数过多，此码已作废，请向学校索取新的通知书。',
      rate_limited: '尝试次数过多，请稍等一分钟再试。',
      network: '暂时无法连接，请检查网络后再试。',
    },
  },
  en: {
    lang: 'en',
    htmlLang: 'en',
    otherLanguage: '中文',
    title: { enrol: 'Enrol your phone', pair: 'Pair the attendant’s phone' },
    intro: {
      enrol:
        'Type the code on the letter from the school and the last 4 digits of the phone number the school holds for you. This phone will then follow your child’s school bus.',
      pair: 'Type the pairing code the staff gave you (valid for 10 minutes). This phone will then take the roll on your bus.',
    },
    codeLabel: { enrol: 'Code', pair: 'Pairing code' },
    codePlaceholder: 'e.g. K7QM-3XPA-9TRD',
    digitsLabel: 'Last 4 digits of your phone number',
    digitsHint: 'The number the school holds: for 138****1234 type 1234',
    submit: { enrol: 'Enrol this phone', pair: 'Pair this phone' },
    working: 'Checking…',
    done: { enrol: 'Enrolled: opening the bus page…', pair: 'Paired: opening the roll page…' },
    problems: {
      code_format: 'A code has 12 letters and digits: check it against the letter.',
      digits_format: 'Type 4 digits.',
      unknown: 'This code is not valid or no longer works: ask the school for a new letter.',
      used: 'This code has already been used. To add another phone, ask the school for a new letter.',
      expired: 'This code has expired: ask the school for a new one.',
      wrong_digits:
        'The digits do not match the phone number the school holds. Try again: after several wrong tries the code stops working.',
      too_many: 'Too many wrong tries: this code no longer works. Ask the school for a new letter.',
      rate_limited: 'Too many tries: wait a minute and try again.',
      network: 'The server cannot be reached: check the connection and try again.',
    },
  },
}
