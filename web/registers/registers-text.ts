import type { RegisterProblemCode } from '../../server/core/registers/register-problem.js'
import type { AppErrorCode, AppErrorReason } from '../../server/core/errors/app-error.js'
import type { Lang } from '../shared/language.js'
import type { RefusalText, StaffPageText } from '../shared/staff-page.js'
import type { ChangeAction } from './registers-contract.js'

export type ErrorKind = 'no_token' | 'unauthenticated' | 'forbidden'
export type View = 'records' | 'import' | 'downloads' | 'changes'
export type CountKey = 'inserted' | 'updated' | 'unchanged' | 'removed'
/** Besides the server's error codes: an answer it could not give, or we could not read. */
export type FailureCode = AppErrorCode | 'internal' | 'http_error' | 'network'

/** The reasons the registers' routes refuse with (server/http/routes/register-*.ts), each worded apart. */
export const registersRefusalReasons = [
  'record_not_found',
  'bureau_register',
  'pupil_of_another_school',
  'school_import_removal',
  'school_csv_export',
  'record_still_referenced',
  'register_errors',
  'not_a_register_file',
  'csv_register_unknown',
  'file_too_large',
] as const satisfies readonly AppErrorReason[]
export type RegistersRefusalReason = (typeof registersRefusalReasons)[number]

export interface RegistersText extends StaffPageText, RefusalText<ErrorKind> {
  lettersLink: string
  signOut: string
  views: Record<View, string>
  roles: Record<'bureau' | 'school', string>
  viewsLabel: string
  registers: string
  search: string
  searchPlaceholder: string
  pageOf: (from: number, to: number, total: number) => string
  previous: string
  next: string
  noRecords: string
  loading: string
  add: string
  edit: string
  remove: string
  actions: string
  personal: string
  personalNote: string
  formAdd: (sheet: string) => string
  formEdit: (sheet: string, key: string) => string
  save: string
  cancel: string
  close: string
  saving: string
  saved: (sheet: string, key: string) => string
  required: string
  keyLocked: string
  formRefused: string
  expected: (what: string) => string
  removeTitle: (sheet: string, key: string) => string
  removeWarning: string
  removing: string
  removed: (sheet: string, key: string) => string
  removeRefused: string
  severity: Record<'error' | 'warning', string>
  problemCodes: Record<RegisterProblemCode, string>
  problemHeaders: {
    severity: string
    sheet: string
    row: string
    column: string
    value: string
    message: string
  }
  failures: Record<FailureCode, string>
  /** What the server refused, by its reason: said before the words of its code. */
  refusals: Record<RegistersRefusalReason, string>
  importHeading: string
  importIntro: string
  chooseFile: string
  csvRegister: string
  csvByName: string
  csvInferred: (sheet: string) => string
  csvNotInferred: string
  wrongFileType: string
  removeOption: string
  removeOptionWarning: string
  check: string
  checking: string
  apply: string
  applying: string
  checked: (errors: number, warnings: number) => string
  applyBlocked: string
  applyReady: string
  applied: string
  notApplied: (errors: number) => string
  countsHeading: string
  counts: Record<CountKey, string>
  register: string
  noCounts: string
  problemsHeading: (shown: number, total: number) => string
  downloadsHeading: string
  template: string
  templateNote: string
  workbook: string
  workbookSchool: string
  csvHeading: string
  loggedNote: string
  downloading: string
  changesHeading: string
  changeHeaders: { at: string; actor: string; action: string; register: string; key: string; summary: string }
  changeActions: Record<ChangeAction, string>
  loadMore: string
  noChanges: string
  allRegisters: string
  personalData: string
  newRecord: string
  unchangedRecord: string
  nothingChanged: string
  countsPart: (sheet: string, counts: Partial<Record<CountKey, number>>) => string
  removeAll: string
  errorAdvice: Record<ErrorKind, string>
}

const joinParts = (parts: string[], separator: string) => parts.filter(Boolean).join(separator)

export const registersText: Record<Lang, RegistersText> = {
  zh: {
    lang: 'zh',
    htmlLang: 'zh-CN',
    title: '基础台账',
    lettersLink: '家长绑定通知书',
    otherLanguage: 'English',
    signOut: '退出登录',
    views: { records: '台账数据', import: '导入', downloads: '下载', changes: '变更记录' },
    roles: { bureau: '教育局', school: '学校' },
    viewsLabel: '页面内容',
    registers: '台账',
    search: '搜索',
    searchPlaceholder: '输入代码、名称、电话…',
    pageOf: (from, to, total) => (total === 0 ? '共 0 条' : `第 ${from}–${to} 条，共 ${total} 条`),
    previous: '上一页',
    next: '下一页',
    noRecords: '没有记录',
    loading: '正在加载…',
    add: '新增记录',
    edit: '编辑',
    remove: '删除',
    actions: '操作',
    personal: '个人信息',
    personalNote: '标有“个人信息”的列是学生和家庭的个人信息，请勿外传。',
    formAdd: (sheet) => `新增${sheet}记录`,
    formEdit: (sheet, key) => `编辑${sheet}：${key}`,
    save: '保存',
    cancel: '取消',
    close: '关闭',
    saving: '正在保存…',
    saved: (sheet, key) => `已保存${sheet}：${key}`,
    required: '必填',
    keyLocked: '标识列不能修改：要改，请新增一条记录再删除这一条。',
    formRefused: '没有保存，请改正下面标出的问题。',
    expected: (what) => `应为：${what}`,
    removeTitle: (sheet, key) => `删除${sheet}：${key}？`,
    removeWarning: '删除后不能恢复；变更记录会保留删除前的内容。',
    removing: '正在删除…',
    removed: (sheet, key) => `已删除${sheet}：${key}`,
    removeRefused: '没有删除：',
    severity: { error: '错误', warning: '警告' },
    problemCodes: {
      missing_sheet_column: '缺少必需的列',
      unknown_column: '无法识别的列',
      missing_value: '必填项为空',
      bad_number: '不是有效的数字',
      out_of_range: '数值超出范围',
      bad_time: '时间格式不对',
      bad_date: '日期格式不对',
      bad_choice: '不是可选的值',
      bad_code: '代码格式不对',
      bad_phone: '电话号码不对',
      bad_plate: '车牌号不对',
      bad_pupil_code: '学生编码不对（校验位不符）',
      bad_datum: '无法识别的坐标系',
      half_coordinates: '经纬度只填了一个',
      no_coordinates: '没有坐标',
      outside_county: '位置不在本市范围内',
      duplicate_key: '标识重复',
      unknown_reference: '引用的记录不存在',
      inconsistent: '内容前后矛盾',
      still_referenced: '仍被其他记录引用',
      not_compliant: '车辆或驾驶员不合规',
      unreadable_file: '文件无法读取',
    },
    problemHeaders: {
      severity: '级别',
      sheet: '工作表',
      row: '行',
      column: '列',
      value: '值',
      message: '问题',
    },
    failures: {
      bad_request: '请求有误',
      unauthenticated: '登录已失效，请重新登录',
      forbidden: '没有权限',
      not_found: '找不到这条记录',
      conflict: '与现有数据冲突',
      unprocessable: '无法处理',
      too_large: '文件太大',
      account_locked: '账号已暂时锁定',
      rate_limited: '操作太频繁，请稍后再试',
      unavailable: '服务暂时不可用，请稍后再试',
      internal: '服务器出错，请稍后再试',
      http_error: '请求失败',
      network: '网络或服务器出错，请重试',
    },
    refusals: {
      record_not_found: '找不到这条记录，可能已被删除：请刷新后再试。',
      bureau_register: '这份台账由教育局维护：学校只能维护本校的学生。',
      pupil_of_another_school: '其中有其他学校的学生：学校只能维护本校的学生。',
      school_import_removal: '学校不能通过导入删除学生，请在学生台账中逐条删除。',
      school_csv_export: '学校请下载 Excel 工作簿，不能导出 CSV。',
      record_still_referenced: '没有删除：还有其他记录引用它，请先修改下面列出的记录：',
      register_errors: '有错误，没有写入任何数据：请改正下面列出的问题。',
      not_a_register_file: '无法读取这个文件：请选择 Excel 工作簿（.xlsx）或 CSV 文件。',
      csv_register_unknown: '请选择这个 CSV 文件对应的台账，或用台账名称给文件命名。',
      file_too_large: '文件太大，请拆分后分批导入。',
    },
    importHeading: '导入台账文件',
    importIntro:
      '先检查文件：检查只列出将要新增、修改、删除的记录和发现的问题，不写入任何数据。没有错误时才能导入。',
    chooseFile: '选择文件（Excel .xlsx 或 CSV）',
    csvRegister: 'CSV 文件对应的台账',
    csvByName: '按文件名判断',
    csvInferred: (sheet) => `按文件名判断为：${sheet}`,
    csvNotInferred: '文件名看不出是哪个台账，请在上面选择。',
    wrongFileType: '只能导入 Excel（.xlsx）或 CSV（.csv）文件。',
    removeOption: '删除文件中没有列出的记录',
    removeOptionWarning:
      '注意：文件中每个工作表没有列出的已存记录都会被删除（例如文件只列了一部分学生，其余学生都会被删除）。请先检查，确认删除的数目。',
    check: '检查文件',
    checking: '正在检查…',
    apply: '导入',
    applying: '正在导入…',
    checked: (errors, warnings) => `检查完毕：错误 ${errors} 处，警告 ${warnings} 处。尚未写入。`,
    applyBlocked: '文件中有错误，不能导入。请改正后重新选择文件检查。',
    applyReady: '没有错误，可以导入。',
    applied: '已导入。',
    notApplied: (errors) => `没有导入：发现错误 ${errors} 处。`,
    countsHeading: '各台账的变化',
    counts: { inserted: '新增', updated: '修改', unchanged: '未变', removed: '删除' },
    register: '台账',
    noCounts: '文件中没有可读的台账。',
    problemsHeading: (shown, total) => (shown < total ? `问题（列出 ${shown} 处，共 ${total} 处）` : '问题'),
    downloadsHeading: '下载',
    template: '空白模板（Excel）',
    templateNote: '模板包含每个台账的工作表、中英文列名和填写说明。',
    workbook: '导出全部台账（Excel）',
    workbookSchool: '导出本校学生（Excel）',
    csvHeading: '按台账导出 CSV',
    loggedNote:
      '学生和监护人台账含未成年人及其家庭的个人信息：每次导出都记入变更记录（谁、何时、导出了什么）。请妥善保管导出的文件。',
    downloading: '正在下载…',
    changesHeading: '变更记录',
    changeHeaders: {
      at: '时间',
      actor: '操作人',
      action: '操作',
      register: '台账',
      key: '记录',
      summary: '内容',
    },
    changeActions: { import: '导入', edit: '编辑', remove: '删除', export: '导出' },
    loadMore: '加载更早的记录',
    noChanges: '还没有变更记录',
    allRegisters: '全部台账',
    personalData: '含个人信息',
    newRecord: '新记录',
    unchangedRecord: '内容未变',
    nothingChanged: '没有变化',
    countsPart: (sheet, counts) =>
      `${sheet}${
        joinParts(
          [
            counts.inserted ? `新增 ${counts.inserted}` : '',
            counts.updated ? `修改 ${counts.updated}` : '',
            counts.removed ? `删除 ${counts.removed}` : '',
          ],
          '，',
        ) || ' 未变'
      }`,
    removeAll: '删除未列出的记录',
    errorTitle: { no_token: '链接不完整', unauthenticated: '链接已失效', forbidden: '没有权限' },
    errorAdvice: {
      no_token: '请用教育局发来的完整链接打开。',
      unauthenticated: '请向管理员要一个新的链接。',
      forbidden: '基础台账只对教育局和学校开放。家长请用家长页面。',
    },
  },
  en: {
    lang: 'en',
    htmlLang: 'en',
    title: 'Registers',
    lettersLink: 'Enrolment letters',
    otherLanguage: '中文',
    signOut: 'Sign out',
    views: { records: 'Records', import: 'Import', downloads: 'Downloads', changes: 'Change log' },
    roles: { bureau: 'Transport bureau', school: 'School' },
    viewsLabel: 'Sections',
    registers: 'Registers',
    search: 'Search',
    searchPlaceholder: 'Code, name, phone…',
    pageOf: (from, to, total) => (total === 0 ? 'none' : `${from}–${to} of ${total}`),
    previous: 'Previous',
    next: 'Next',
    noRecords: 'No records',
    loading: 'Loading…',
    add: 'Add a record',
    edit: 'Edit',
    remove: 'Remove',
    actions: 'Actions',
    personal: 'personal',
    personalNote:
      'Columns marked “personal” hold personal data of pupils and their families: keep it inside.',
    formAdd: (sheet) => `New record: ${sheet}`,
    formEdit: (sheet, key) => `Edit ${sheet}: ${key}`,
    save: 'Save',
    cancel: 'Cancel',
    close: 'Close',
    saving: 'Saving…',
    saved: (sheet, key) => `Saved ${sheet}: ${key}`,
    required: 'required',
    keyLocked: 'Key fields name the record: to change one, add a new record and remove this one.',
    formRefused: 'Not saved: fix the problems marked below.',
    expected: (what) => `Expected ${what}`,
    removeTitle: (sheet, key) => `Remove ${sheet}: ${key}?`,
    removeWarning: 'This cannot be undone; the change log keeps the record as it was.',
    removing: 'Removing…',
    removed: (sheet, key) => `Removed ${sheet}: ${key}`,
    removeRefused: 'Not removed:',
    severity: { error: 'error', warning: 'warning' },
    problemCodes: {
      missing_sheet_column: 'Required column missing',
      unknown_column: 'Unknown column',
      missing_value: 'Required value missing',
      bad_number: 'Not a number',
      out_of_range: 'Out of range',
      bad_time: 'Not a time of day',
      bad_date: 'Not a date',
      bad_choice: 'Not one of the choices',
      bad_code: 'Not a valid code',
      bad_phone: 'Not a phone number',
      bad_plate: 'Not a plate',
      bad_pupil_code: 'Not a pupil code (check digit)',
      bad_datum: 'Unknown datum',
      half_coordinates: 'Only one of latitude and longitude',
      no_coordinates: 'No coordinates',
      outside_county: 'Outside the county',
      duplicate_key: 'Given twice',
      unknown_reference: 'Refers to nothing',
      inconsistent: 'Inconsistent',
      still_referenced: 'Still referred to',
      not_compliant: 'Bus or driver out of compliance',
      unreadable_file: 'Unreadable file',
    },
    problemHeaders: {
      severity: 'Severity',
      sheet: 'Sheet',
      row: 'Row',
      column: 'Column',
      value: 'Value',
      message: 'Problem',
    },
    failures: {
      bad_request: 'Bad request',
      unauthenticated: 'Your sign-in has expired; sign in again',
      forbidden: 'Not allowed',
      not_found: 'No such record',
      conflict: 'Conflicts with stored data',
      unprocessable: 'Cannot be processed',
      too_large: 'The file is too large',
      account_locked: 'The account is locked for a while',
      rate_limited: 'Too many attempts; try again later',
      unavailable: 'The service is unavailable; try again later',
      internal: 'Server error; try again later',
      http_error: 'The request failed',
      network: 'Network or server error; try again',
    },
    refusals: {
      record_not_found: 'This record was not found; it may have been removed. Reload and try again.',
      bureau_register: 'This register is the bureau’s: a school keeps only its own pupils.',
      pupil_of_another_school: 'It holds another school’s pupil: a school keeps only its own pupils.',
      school_import_removal:
        'A school cannot remove pupils by importing; remove them one by one in the pupils register.',
      school_csv_export: 'A school downloads the Excel workbook; CSV export is the bureau’s.',
      record_still_referenced:
        'Not removed: other records still refer to it. Change those listed below first:',
      register_errors: 'There are errors, so nothing was written: fix the problems listed below.',
      not_a_register_file: 'This file cannot be read: choose an Excel workbook (.xlsx) or a CSV file.',
      csv_register_unknown: 'Choose the register this CSV file holds, or name the file after the register.',
      file_too_large: 'The file is too large: split it and import the parts one after another.',
    },
    importHeading: 'Import a register file',
    importIntro:
      'Check the file first: the check lists what would be added, changed and removed and the problems found, and writes nothing. It can be imported only when there are no errors.',
    chooseFile: 'Choose a file (Excel .xlsx or CSV)',
    csvRegister: 'Register the CSV holds',
    csvByName: 'From the file name',
    csvInferred: (sheet) => `From the file name: ${sheet}`,
    csvNotInferred: 'The file name does not say which register: choose it above.',
    wrongFileType: 'Only Excel (.xlsx) and CSV (.csv) files can be imported.',
    removeOption: 'Remove records the file leaves out',
    removeOptionWarning:
      'Careful: stored records that a sheet of the file does not list are removed (a file with some of the pupils removes all the others). Check first and read the removed counts.',
    check: 'Check the file',
    checking: 'Checking…',
    apply: 'Import',
    applying: 'Importing…',
    checked: (errors, warnings) =>
      `Checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}. Nothing written yet.`,
    applyBlocked: 'The file has errors and cannot be imported. Fix them and check the file again.',
    applyReady: 'No errors: ready to import.',
    applied: 'Imported.',
    notApplied: (errors) => `Nothing imported: ${errors} error${errors === 1 ? '' : 's'} found.`,
    countsHeading: 'Changes per register',
    counts: { inserted: 'new', updated: 'changed', unchanged: 'unchanged', removed: 'removed' },
    register: 'Register',
    noCounts: 'The file holds no register that could be read.',
    problemsHeading: (shown, total) =>
      shown < total ? `Problems (${shown} of ${total} listed)` : 'Problems',
    downloadsHeading: 'Downloads',
    template: 'Blank template (Excel)',
    templateNote:
      'The template has a sheet per register, headers in Chinese and English, and how to fill them.',
    workbook: 'Export all registers (Excel)',
    workbookSchool: 'Export our pupils (Excel)',
    csvHeading: 'One register as CSV',
    loggedNote:
      'The pupils and guardians registers hold personal data of minors and their families: every export is logged (who, when, what). Keep exported files safe.',
    downloading: 'Downloading…',
    changesHeading: 'Change log',
    changeHeaders: {
      at: 'When',
      actor: 'Who',
      action: 'What',
      register: 'Register',
      key: 'Record',
      summary: 'Details',
    },
    changeActions: { import: 'import', edit: 'edit', remove: 'remove', export: 'export' },
    loadMore: 'Load earlier changes',
    noChanges: 'No changes yet',
    allRegisters: 'all registers',
    personalData: 'personal data',
    newRecord: 'new record',
    unchangedRecord: 'no change',
    nothingChanged: 'nothing changed',
    countsPart: (sheet, counts) =>
      `${sheet}: ${
        joinParts(
          [
            counts.inserted ? `${counts.inserted} new` : '',
            counts.updated ? `${counts.updated} changed` : '',
            counts.removed ? `${counts.removed} removed` : '',
          ],
          ', ',
        ) || 'unchanged'
      }`,
    removeAll: 'removing what it left out',
    errorTitle: {
      no_token: 'This link is incomplete',
      unauthenticated: 'Your sign-in has expired; sign in again',
      forbidden: 'Not allowed',
    },
    errorAdvice: {
      no_token: 'Open the whole link the bureau sent.',
      unauthenticated: 'Ask the administrator for a new link.',
      forbidden:
        'The registers are open to the transport bureau and schools only. Parents: use the parent page.',
    },
  },
}
