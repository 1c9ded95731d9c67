import type { AppErrorCode, AppErrorReason } from '../../server/core/errors/app-error.js'
import type { Lang } from '../shared/language.js'
import { detailList, type ReasonWords } from '../shared/refusal-text.js'
import type { RefusalText, StaffPageText } from '../shared/staff-page.js'

/** Signed out or expired sessions go to the sign-in page; this is what is left to say. */
export type ErrorKind = 'forbidden'

export interface LettersText extends StaffPageText, RefusalText<ErrorKind> {
  registersLink: string
  roles: Record<'bureau' | 'school', string>
  issueHeading: string
  personalNote: string
  schoolLabel: string
  chooseSchool: string
  pupilsLabel: string
  pupilsHint: string
  voidWarning: string
  issue: string
  issuing: string
  print: string
  issued: (letters: number) => string
  withoutPhone: (names: string) => string
  noLetters: string
  statusHeading: string
  statusRefresh: string
  statusHeaders: {
    pupilCode: string
    pupil: string
    guardian: string
    relation: string
    phone: string
    enrolled: string
    letter: string
  }
  enrolledPhones: (n: number) => string
  notEnrolled: string
  letterUntil: (date: string) => string
  noLetter: string
  noPupils: string
  loading: string
  /** Why the server refused to make letters, by reason (naming the codes at fault) and by code. */
  refusals: {
    reasons: Record<(typeof lettersRefusalReasons)[number], ReasonWords>
    codes: Record<(typeof lettersRefusalCodes)[number], string>
  }
  errorAdvice: Record<ErrorKind, string>
}

/** The reasons and codes of the refusals of making letters (enrolment-routes.ts, letter-recipients.ts). */
export const lettersRefusalReasons = [
  'too_many_letters',
  'empty_selection',
  'school_outside_scope',
  'unknown_school_code',
  'unknown_pupil_code',
  'pupil_of_another_school',
] as const satisfies readonly AppErrorReason[]
export const lettersRefusalCodes = [
  'bad_request',
  'forbidden',
  'not_found',
  'too_large',
] as const satisfies readonly AppErrorCode[]

/** The codes a refusal names (`details.pupilCodes`), joined for a sentence; the count if there are many. */
function namedCodes(details: Readonly<Record<string, unknown>>, separator: string): string | null {
  const codes = detailList(details, 'pupilCodes')
  if (codes.length === 0) return null
  const shown = codes.slice(0, 10).join(separator)
  return codes.length > 10 ? `${shown}${separator}…` : shown
}

export const lettersText: Record<Lang, LettersText> = {
  zh: {
    lang: 'zh',
    htmlLang: 'zh-CN',
    title: '家长绑定通知书',
    otherLanguage: 'English',
    registersLink: '基础台账',
    roles: { bureau: '教育局', school: '学校' },
    issueHeading: '生成通知书',
    personalNote:
      '通知书含学生和家长的个人信息及可用的绑定码：请只交给本人，用后销毁。每次生成均记入审计日志。',
    schoolLabel: '学校',
    chooseSchool: '请选择学校',
    pupilsLabel: '学生编号（可选）',
    pupilsHint: '留空则为全校学生；多个编号用空格、逗号或换行分隔。',
    voidWarning: '生成新通知书后，同一学生和家长此前未使用的绑定码将作废。',
    issue: '生成通知书',
    issuing: '正在生成…',
    print: '打印',
    issued: (n) => `已生成 ${n} 份通知书，每份一页，可直接打印。`,
    withoutPhone: (names) => `以下家长在台账中没有手机号码，未生成通知书：${names}`,
    noLetters: '没有可生成的通知书。',
    statusHeading: '绑定情况',
    statusRefresh: '刷新',
    statusHeaders: {
      pupilCode: '学生编号',
      pupil: '学生',
      guardian: '家长',
      relation: '关系',
      phone: '登记手机',
      enrolled: '已绑定手机',
      letter: '未使用的通知书',
    },
    enrolledPhones: (n) => `已绑定 ${n} 部`,
    notEnrolled: '未绑定',
    letterUntil: (date) => `有效至 ${date}`,
    noLetter: '—',
    noPupils: '没有学生。',
    loading: '正在加载…',
    refusals: {
      reasons: {
        too_many_letters: '一次生成的通知书太多：请少选一些学生，分批生成。',
        empty_selection: '请先选择一所学校，或填写学生编号。',
        school_outside_scope: '只能为本校学生生成通知书，不能选择其他学校。',
        unknown_school_code: '找不到所选的学校，请刷新页面后重新选择。',
        unknown_pupil_code: (details) => {
          const codes = namedCodes(details, '、')
          return codes ? `没有这些学生编号，请核对：${codes}` : '有的学生编号不存在，请核对后再试。'
        },
        pupil_of_another_school: (details) => {
          const codes = namedCodes(details, '、')
          return codes
            ? `这些学生不属于所选学校，请去掉或改选学校：${codes}`
            : '有的学生不属于所选学校，请核对学生编号。'
        },
      },
      codes: {
        bad_request: '请先选择一所学校或若干学生。',
        forbidden: '无权为这些学生生成通知书。',
        not_found: '找不到所选的学校或学生，请刷新后重选。',
        too_large: '一次提交的内容太多，请分批进行。',
      },
    },
    errorTitle: { forbidden: '无权查看此页面' },
    errorAdvice: {
      forbidden: '只有教育局和学校的工作人员可以生成家长绑定通知书。',
    },
  },
  en: {
    lang: 'en',
    htmlLang: 'en',
    title: 'Enrolment letters',
    otherLanguage: '中文',
    registersLink: 'Registers',
    roles: { bureau: 'Bureau', school: 'School' },
    issueHeading: 'Make letters',
    personalNote:
      'Letters hold pupils’ and guardians’ personal data and a working code: hand each only to its guardian and destroy spares. Every batch is written to the audit log.',
    schoolLabel: 'School',
    chooseSchool: 'Choose a school',
    pupilsLabel: 'Pupil codes (optional)',
    pupilsHint: 'Empty for the whole school; separate codes with spaces, commas or new lines.',
    voidWarning: 'A new letter voids the earlier unused codes of the same pupil and guardian.',
    issue: 'Make letters',
    issuing: 'Making letters…',
    print: 'Print',
    issued: (n) => `${n} letters made, one a page, ready to print.`,
    withoutPhone: (names) => `These guardians have no phone in the registers and got no letter: ${names}`,
    noLetters: 'There are no letters to make.',
    statusHeading: 'Who has enrolled',
    statusRefresh: 'Refresh',
    statusHeaders: {
      pupilCode: 'Pupil code',
      pupil: 'Pupil',
      guardian: 'Guardian',
      relation: 'Relation',
      phone: 'Phone on record',
      enrolled: 'Phones enrolled',
      letter: 'Unused letter',
    },
    enrolledPhones: (n) => `${n} enrolled`,
    notEnrolled: 'not enrolled',
    letterUntil: (date) => `valid until ${date}`,
    noLetter: '—',
    noPupils: 'No pupils.',
    loading: 'Loading…',
    refusals: {
      reasons: {
        too_many_letters: 'Too many letters at once: choose fewer pupils and make them in batches.',
        empty_selection: 'Choose a school, or type some pupil codes, first.',
        school_outside_scope: 'You make letters for your own school’s pupils only, not another school’s.',
        unknown_school_code: 'The chosen school was not found; reload the page and choose again.',
        unknown_pupil_code: (details) => {
          const codes = namedCodes(details, ', ')
          return codes
            ? `No pupil has these codes; check them: ${codes}`
            : 'Some pupil codes do not exist; check them and try again.'
        },
        pupil_of_another_school: (details) => {
          const codes = namedCodes(details, ', ')
          return codes
            ? `These pupils are not of the chosen school; remove them or choose their school: ${codes}`
            : 'Some pupils are not of the chosen school; check the codes.'
        },
      },
      codes: {
        bad_request: 'Choose a school or some pupils first.',
        forbidden: 'You may not make letters for these pupils.',
        not_found: 'The chosen school or pupils were not found; reload and choose again.',
        too_large: 'Too much at once; send it in smaller parts.',
      },
    },
    errorTitle: { forbidden: 'This page is not for you' },
    errorAdvice: {
      forbidden: 'Only the bureau’s and schools’ staff make enrolment letters.',
    },
  },
}
