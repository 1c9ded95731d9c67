import type { Lang } from '../shared/language.js'
import type { StaffPageText } from '../shared/staff-page.js'

/** What can go wrong at sign-in, as the page tells it. */
export type SignInProblem =
  | 'missing'
  | 'wrong'
  | 'locked'
  | 'rate_limited'
  | 'disabled'
  | 'must_change'
  | 'policy'
  | 'same_password'
  | 'mismatch'
  | 'network'

export interface SignInText extends StaffPageText {
  brand: string
  intro: string
  username: string
  password: string
  newPasswordTitle: string
  newPasswordRules: string
  newPassword: string
  repeatPassword: string
  signIn: string
  changeAndSignIn: string
  signingIn: string
  help: string
  signedOut: string
  problems: Record<Exclude<SignInProblem, 'locked'>, string>
  /** The lock's end, as HH:MM in Cixi, or null when the server did not say. */
  locked: (until: string | null) => string
}

export const signInText: Record<Lang, SignInText> = {
  zh: {
    lang: 'zh',
    htmlLang: 'zh-CN',
    otherLanguage: 'English',
    brand: '校车服务平台',
    title: '工作人员登录',
    intro: '教育局和学校的工作人员用管理员发给你的账号登录。',
    username: '用户名',
    password: '密码',
    newPasswordTitle: '设置新密码',
    newPasswordRules:
      '首次登录或密码重置后，请设置自己的密码：至少 10 个字符，不能与用户名或一次性密码相同。',
    newPassword: '新密码',
    repeatPassword: '再次输入新密码',
    signIn: '登录',
    changeAndSignIn: '保存新密码并登录',
    signingIn: '正在登录…',
    help: '忘记密码或账号被锁定？请联系教育局的管理员重置。',
    signedOut: '已退出登录。',
    problems: {
      missing: '请输入用户名和密码。',
      wrong: '用户名或密码不正确。',
      rate_limited: '这个网络的登录尝试太多，请一分钟后再试。',
      disabled: '这个账号已停用，请联系管理员。',
      must_change: '这是一次性密码：请在下面设置你自己的新密码。',
      policy: '新密码至少 10 个字符，且不能与用户名相同。',
      same_password: '新密码不能与当前密码相同。',
      mismatch: '两次输入的新密码不一致。',
      network: '网络或服务器出错，请稍后再试。',
    },
    locked: (until) =>
      until
        ? `密码错误次数太多，账号已锁定，${until} 后可以再试。`
        : '密码错误次数太多，账号已暂时锁定，请 15 分钟后再试。',
  },
  en: {
    lang: 'en',
    htmlLang: 'en',
    otherLanguage: '中文',
    brand: 'School transport',
    title: 'Staff sign-in',
    intro: 'Bureau and school staff: sign in with the account your administrator gave you.',
    username: 'Username',
    password: 'Password',
    newPasswordTitle: 'Choose a new password',
    newPasswordRules:
      'After a first sign-in or a reset, choose your own password: at least 10 characters, not your username nor the one-time password.',
    newPassword: 'New password',
    repeatPassword: 'New password again',
    signIn: 'Sign in',
    changeAndSignIn: 'Save the new password and sign in',
    signingIn: 'Signing in…',
    help: 'Forgot your password, or locked out? Ask an administrator of the bureau to reset it.',
    signedOut: 'You have signed out.',
    problems: {
      missing: 'Enter your username and password.',
      wrong: 'Wrong username or password.',
      rate_limited: 'Too many sign-in attempts from this network: wait a minute and try again.',
      disabled: 'This account is disabled: ask an administrator.',
      must_change: 'That was a one-time password: choose a new password of your own below.',
      policy: 'A new password has at least 10 characters and is not your username.',
      same_password: 'The new password must differ from the current one.',
      mismatch: 'The two new passwords differ.',
      network: 'Network or server error: try again shortly.',
    },
    locked: (until) =>
      until
        ? `Too many wrong passwords: the account is locked until ${until}.`
        : 'Too many wrong passwords: the account is locked for 15 minutes.',
  },
}
