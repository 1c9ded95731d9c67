import type { AuditAction } from '../../server/core/auth/audit-log.js'
import type { AppErrorCode, AppErrorReason } from '../../server/core/errors/app-error.js'
import type { Lang } from '../shared/language.js'
import type { RefusalText, StaffPageText } from '../shared/staff-page.js'
import type { SessionKind } from './access-contract.js'

export type View = 'accounts' | 'sessions' | 'audit' | 'terminals'
export type ErrorKind = 'forbidden'

export interface AccessText extends StaffPageText, RefusalText<ErrorKind> {
  signOut: string
  viewsLabel: string
  views: Record<View, string>
  roles: Record<'bureau' | 'school', string>
  admin: string
  loading: string
  cancel: string
  close: string
  save: string
  loadMore: string
  /** Why the server refused a change of accounts, sessions or terminals, by reason and by code. */
  refusals: {
    reasons: Record<AccessRefusalReason, string>
    codes: Record<AccessRefusalCode, string>
  }
  network: string
  // Accounts
  accountsHeading: string
  addAccount: string
  accountHeaders: {
    username: string
    name: string
    role: string
    school: string
    state: string
    lastSignIn: string
    actions: string
  }
  noAccounts: string
  states: { active: string; disabled: string; mustChange: string; locked: (until: string) => string }
  openSessions: (n: number) => string
  edit: string
  resetPassword: string
  disable: string
  enable: string
  newAccountTitle: string
  editAccountTitle: (username: string) => string
  usernameLabel: string
  usernameHint: string
  displayNameLabel: string
  roleLabel: string
  schoolLabel: string
  adminLabel: string
  adminHint: string
  created: (username: string) => string
  changed: (username: string) => string
  resetTitle: (username: string) => string
  resetWarning: string
  disableTitle: (username: string) => string
  disableWarning: string
  enabled: (username: string) => string
  disabled: (username: string) => string
  oneTimeTitle: (username: string) => string
  oneTimeNote: string
  never: string
  // Sessions
  sessionsHeading: string
  kindLabel: string
  allKinds: string
  kinds: Record<SessionKind, string>
  includeEnded: string
  sessionHeaders: {
    kind: string
    holder: string
    device: string
    created: string
    lastUsed: string
    expires: string
    state: string
    actions: string
  }
  noSessions: string
  sessionOpen: string
  sessionEnded: (by: string, reason: string) => string
  end: string
  endTitle: (holder: string) => string
  endWarning: string
  reasonLabel: string
  ended: string
  // Audit
  auditHeading: string
  actionLabel: string
  allActions: string
  actions: Record<AuditAction, string>
  actorLabel: string
  fromLabel: string
  toLabel: string
  filter: string
  auditHeaders: { at: string; actor: string; action: string; target: string; detail: string; ip: string }
  noEntries: string
  // Terminals
  terminalsHeading: string
  terminalsNote: string
  terminalsMissing: string
  terminalHeaders: {
    plate: string
    terminalNo: string
    created: string
    lastUsed: string
    expires: string
    actions: string
  }
  noTerminals: string
  noCredential: string
  rotate: string
  rotateTitle: (plate: string) => string
  rotateWarning: string
  rotatedTitle: (plate: string) => string
  rotatedNote: string
  credentialFields: { username: string; clientId: string; password: string; expiresAt: string }
  confirm: string
  errorAdvice: Record<ErrorKind, string>
}

/** The reasons the server gives when it refuses a change of accounts (administer-accounts.ts). */
export const accessRefusalReasons = [
  'username_format',
  'username_taken',
  'display_name_required',
  'admin_outside_bureau',
  'school_code_required',
  'unknown_school_code',
  'school_for_bureau_account',
  'own_account',
  'last_administrator',
] as const satisfies readonly AppErrorReason[]
type AccessRefusalReason = (typeof accessRefusalReasons)[number]

/** The codes of the refusals the page can meet; a 401 ends the session instead (sign in again). */
export const accessRefusalCodes = [
  'bad_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'unprocessable',
  'rate_limited',
  'account_locked',
] as const satisfies readonly AppErrorCode[]
type AccessRefusalCode = (typeof accessRefusalCodes)[number]

/** The server's refusals, in words. */
const refusalWords: Record<Lang, AccessText['refusals']> = {
  zh: {
    reasons: {
      username_format: '用户名须为 2 到 64 个字母、数字、点、连字符或下划线，并以字母或数字开头',
      username_taken: '这个用户名已被占用，请换一个',
      display_name_required: '请填写姓名',
      admin_outside_bureau: '只有教育局的账号可以做管理员',
      school_code_required: '学校账号须填写学校代码',
      unknown_school_code: '没有这个学校代码',
      school_for_bureau_account: '教育局账号不属于任何学校，请清空学校代码',
      own_account: '管理员不能停用自己的账号',
      last_administrator: '这是最后一位在用的管理员：请先设另一位管理员',
    },
    codes: {
      bad_request: '输入有误，请检查',
      unauthenticated: '登录已失效，请重新登录',
      forbidden: '没有权限',
      not_found: '找不到，可能已被删除',
      conflict: '不能这样改',
      unprocessable: '服务器不能处理这项更改',
      rate_limited: '操作太频繁，请稍后再试',
      account_locked: '账号已锁定',
    },
  },
  en: {
    reasons: {
      username_format:
        'A username is 2 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit',
      username_taken: 'This username is taken; choose another',
      display_name_required: 'Fill in the name',
      admin_outside_bureau: 'Only a bureau account can be an administrator',
      school_code_required: "A school account needs its school's code",
      unknown_school_code: 'No school has this code',
      school_for_bureau_account: 'A bureau account belongs to no school: clear the school code',
      own_account: 'An administrator cannot disable their own account',
      last_administrator: 'This is the last active administrator: make another one first',
    },
    codes: {
      bad_request: 'Not accepted; check the input',
      unauthenticated: 'Your sign-in has ended; sign in again',
      forbidden: 'Not allowed',
      not_found: 'Not found; it may have been removed',
      conflict: 'Cannot be done',
      unprocessable: 'The server cannot make this change',
      rate_limited: 'Too many requests; try again later',
      account_locked: 'Account locked',
    },
  },
}

export const accessText: Record<Lang, AccessText> = {
  zh: {
    lang: 'zh',
    htmlLang: 'zh-CN',
    title: '账号与访问',
    otherLanguage: 'English',
    signOut: '退出登录',
    viewsLabel: '页面内容',
    views: { accounts: '账号', sessions: '登录会话', audit: '审计日志', terminals: '车载终端' },
    roles: { bureau: '教育局', school: '学校' },
    admin: '管理员',
    loading: '正在加载…',
    cancel: '取消',
    close: '关闭',
    save: '保存',
    loadMore: '加载更早的记录',
    refusals: refusalWords.zh,
    network: '网络或服务器出错，请重试',
    accountsHeading: '工作人员账号',
    addAccount: '新建账号',
    accountHeaders: {
      username: '用户名',
      name: '姓名',
      role: '角色',
      school: '学校',
      state: '状态',
      lastSignIn: '最近登录',
      actions: '操作',
    },
    noAccounts: '还没有账号',
    states: {
      active: '正常',
      disabled: '已停用',
      mustChange: '待修改一次性密码',
      locked: (until) => `锁定至 ${until}`,
    },
    openSessions: (n) => `${n} 个会话`,
    edit: '修改',
    resetPassword: '重置密码',
    disable: '停用',
    enable: '启用',
    newAccountTitle: '新建账号',
    editAccountTitle: (username) => `修改账号：${username}`,
    usernameLabel: '用户名',
    usernameHint: '2–64 个小写字母、数字、点、横线或下划线。',
    displayNameLabel: '姓名',
    roleLabel: '角色',
    schoolLabel: '学校',
    adminLabel: '管理员（可管理账号、会话和车载终端）',
    adminHint: '只有教育局的账号可以是管理员。',
    created: (username) => `已新建账号 ${username}。`,
    changed: (username) => `已保存账号 ${username}。`,
    resetTitle: (username) => `重置 ${username} 的密码？`,
    resetWarning: '将生成新的一次性密码；该账号已登录的会话全部结束，原密码失效。',
    disableTitle: (username) => `停用账号 ${username}？`,
    disableWarning: '停用后该账号不能登录，已登录的会话立即结束。可以随时重新启用。',
    enabled: (username) => `已启用账号 ${username}。`,
    disabled: (username) => `已停用账号 ${username}，其会话已结束。`,
    oneTimeTitle: (username) => `${username} 的一次性密码`,
    oneTimeNote:
      '此密码只显示这一次，请当面或通过安全渠道交给本人。首次登录时必须设置自己的密码；关闭此窗口后无法再次查看。',
    never: '从未',
    sessionsHeading: '登录会话',
    kindLabel: '类型',
    allKinds: '全部类型',
    kinds: {
      staff: '工作人员',
      guardian: '家长手机',
      attendant: '随车员手机',
      device: '车载终端',
      issued: '签发的令牌',
    },
    includeEnded: '包括已结束的',
    sessionHeaders: {
      kind: '类型',
      holder: '持有者',
      device: '设备',
      created: '开始',
      lastUsed: '最近使用',
      expires: '到期',
      state: '状态',
      actions: '操作',
    },
    noSessions: '没有会话',
    sessionOpen: '有效',
    sessionEnded: (by, reason) => `已由 ${by} 结束：${reason}`,
    end: '结束',
    endTitle: (holder) => `结束 ${holder} 的会话？`,
    endWarning: '会话结束后，该设备上的页面和连接会在几秒内断开，需要重新登录或重新绑定。',
    reasonLabel: '原因（记入审计日志）',
    ended: '会话已结束。',
    auditHeading: '审计日志',
    actionLabel: '操作',
    allActions: '全部操作',
    actions: {
      sign_in: '登录',
      sign_in_failed: '登录失败',
      account_locked: '账号锁定',
      sign_out: '退出登录',
      password_changed: '修改密码',
      password_reset: '重置密码',
      account_created: '新建账号',
      account_changed: '修改账号',
      enrolment_issued: '生成绑定码',
      enrolment_sent: '发送绑定码',
      enrolled: '家长绑定',
      enrolment_failed: '家长绑定失败',
      pairing_issued: '生成配对码',
      paired: '随车员配对',
      pairing_failed: '随车员配对失败',
      session_revoked: '结束会话',
      credential_rotated: '更换终端凭据',
      terminal_command: '向终端下发指令',
      alarm_kind_changed: '修改报警类别',
      score_rules_changed: '修改记分规则',
      score_removal_lifted: '恢复驾驶员校车驾驶资格',
      pupil_data_read: '查看学生信息',
      export: '导出',
    },
    actorLabel: '操作人',
    fromLabel: '从',
    toLabel: '到',
    filter: '筛选',
    auditHeaders: { at: '时间', actor: '操作人', action: '操作', target: '对象', detail: '详情', ip: '地址' },
    noEntries: '没有记录',
    terminalsHeading: '车载终端凭据',
    terminalsNote: '每辆车的终端用自己的凭据连接平台。怀疑凭据泄露或更换终端时，请更换凭据。',
    terminalsMissing: '此平台还没有车载终端凭据的接口。',
    terminalHeaders: {
      plate: '车牌',
      terminalNo: '终端号',
      created: '签发',
      lastUsed: '最近使用',
      expires: '到期',
      actions: '操作',
    },
    noTerminals: '没有车载终端',
    noCredential: '尚无凭据',
    rotate: '更换凭据',
    rotateTitle: (plate) => `更换 ${plate} 的终端凭据？`,
    rotateWarning: '旧凭据立即失效：终端会断开，直到在终端上填入新的凭据。',
    rotatedTitle: (plate) => `${plate} 的新终端凭据`,
    rotatedNote: '密码只显示这一次。旧凭据已失效，请立即在终端上填入新的凭据。',
    credentialFields: { username: '用户名', clientId: '客户端 ID', password: '密码', expiresAt: '到期' },
    confirm: '确定',
    errorTitle: { forbidden: '没有权限' },
    errorAdvice: { forbidden: '账号与访问页面只对教育局开放。' },
  },
  en: {
    lang: 'en',
    htmlLang: 'en',
    title: 'Accounts and access',
    otherLanguage: '中文',
    signOut: 'Sign out',
    viewsLabel: 'Sections',
    views: { accounts: 'Accounts', sessions: 'Sessions', audit: 'Audit log', terminals: 'Terminals' },
    roles: { bureau: 'Transport bureau', school: 'School' },
    admin: 'administrator',
    loading: 'Loading…',
    cancel: 'Cancel',
    close: 'Close',
    save: 'Save',
    loadMore: 'Load earlier entries',
    refusals: refusalWords.en,
    network: 'Network or server error; try again',
    accountsHeading: 'Staff accounts',
    addAccount: 'New account',
    accountHeaders: {
      username: 'Username',
      name: 'Name',
      role: 'Role',
      school: 'School',
      state: 'State',
      lastSignIn: 'Last sign-in',
      actions: 'Actions',
    },
    noAccounts: 'No accounts yet',
    states: {
      active: 'active',
      disabled: 'disabled',
      mustChange: 'one-time password not yet changed',
      locked: (until) => `locked until ${until}`,
    },
    openSessions: (n) => `${n} session${n === 1 ? '' : 's'}`,
    edit: 'Edit',
    resetPassword: 'Reset password',
    disable: 'Disable',
    enable: 'Enable',
    newAccountTitle: 'New account',
    editAccountTitle: (username) => `Edit account: ${username}`,
    usernameLabel: 'Username',
    usernameHint: '2–64 lower-case letters, digits, dots, dashes or underscores.',
    displayNameLabel: 'Name',
    roleLabel: 'Role',
    schoolLabel: 'School',
    adminLabel: 'Administrator (manages accounts, sessions and terminals)',
    adminHint: 'Only a bureau account can be an administrator.',
    created: (username) => `Created the account ${username}.`,
    changed: (username) => `Saved the account ${username}.`,
    resetTitle: (username) => `Reset the password of ${username}?`,
    resetWarning:
      'A new one-time password is made; the old password stops working and every session of the account ends.',
    disableTitle: (username) => `Disable the account ${username}?`,
    disableWarning:
      'A disabled account cannot sign in, and its sessions end at once. It can be enabled again at any time.',
    enabled: (username) => `Enabled the account ${username}.`,
    disabled: (username) => `Disabled the account ${username}; its sessions ended.`,
    oneTimeTitle: (username) => `One-time password of ${username}`,
    oneTimeNote:
      'Shown this once only: give it to the person face to face or by a safe channel. They must choose their own password at the first sign-in; once closed, it cannot be shown again.',
    never: 'never',
    sessionsHeading: 'Sessions',
    kindLabel: 'Kind',
    allKinds: 'All kinds',
    kinds: {
      staff: 'Staff',
      guardian: 'Guardian’s phone',
      attendant: 'Attendant’s phone',
      device: 'Bus terminal',
      issued: 'Issued token',
    },
    includeEnded: 'Include ended ones',
    sessionHeaders: {
      kind: 'Kind',
      holder: 'Holder',
      device: 'Device',
      created: 'Started',
      lastUsed: 'Last used',
      expires: 'Expires',
      state: 'State',
      actions: 'Actions',
    },
    noSessions: 'No sessions',
    sessionOpen: 'open',
    sessionEnded: (by, reason) => `ended by ${by}: ${reason}`,
    end: 'End',
    endTitle: (holder) => `End a session of ${holder}?`,
    endWarning:
      'Once ended, the pages and connections on that device drop within seconds; it must sign in or pair again.',
    reasonLabel: 'Reason (kept in the audit log)',
    ended: 'The session has ended.',
    auditHeading: 'Audit log',
    actionLabel: 'Action',
    allActions: 'All actions',
    actions: {
      sign_in: 'sign-in',
      sign_in_failed: 'failed sign-in',
      account_locked: 'account locked',
      sign_out: 'sign-out',
      password_changed: 'password changed',
      password_reset: 'password reset',
      account_created: 'account created',
      account_changed: 'account changed',
      enrolment_issued: 'enrolment code made',
      enrolment_sent: 'enrolment code sent',
      enrolled: 'guardian enrolled',
      enrolment_failed: 'failed enrolment',
      pairing_issued: 'pairing code made',
      paired: 'attendant paired',
      pairing_failed: 'failed pairing',
      session_revoked: 'session ended',
      credential_rotated: 'terminal credential rotated',
      terminal_command: 'command sent to a terminal',
      alarm_kind_changed: 'alarm kind changed',
      score_rules_changed: 'score rules changed',
      score_removal_lifted: 'driver reinstated to school-bus duty',
      pupil_data_read: 'pupil data read',
      export: 'export',
    },
    actorLabel: 'Who',
    fromLabel: 'From',
    toLabel: 'To',
    filter: 'Filter',
    auditHeaders: {
      at: 'When',
      actor: 'Who',
      action: 'What',
      target: 'On',
      detail: 'Details',
      ip: 'Address',
    },
    noEntries: 'No entries',
    terminalsHeading: 'Bus terminal credentials',
    terminalsNote:
      'Each bus’s terminal connects with its own credential. Rotate it when it may have leaked or the terminal is replaced.',
    terminalsMissing: 'This platform has no terminal credentials API yet.',
    terminalHeaders: {
      plate: 'Plate',
      terminalNo: 'Terminal',
      created: 'Issued',
      lastUsed: 'Last used',
      expires: 'Expires',
      actions: 'Actions',
    },
    noTerminals: 'No terminals',
    noCredential: 'no credential yet',
    rotate: 'Rotate',
    rotateTitle: (plate) => `Rotate the terminal credential of ${plate}?`,
    rotateWarning:
      'The old credential stops working at once: the terminal disconnects until the new one is entered on it.',
    rotatedTitle: (plate) => `New terminal credential of ${plate}`,
    rotatedNote:
      'The password is shown this once only. The old credential no longer works: enter the new one on the terminal now.',
    credentialFields: {
      username: 'Username',
      clientId: 'Client id',
      password: 'Password',
      expiresAt: 'Expires',
    },
    confirm: 'Confirm',
    errorTitle: { forbidden: 'Not allowed' },
    errorAdvice: { forbidden: 'Accounts and access are for the transport bureau only.' },
  },
}
