// Both languages' words take their refusals from here: a file of its own spares the word files a
// run-time import of access-text.ts, which imports the word files.

import type { Lang } from '../shared/language.js'
import type { AccessText } from './access-text.js'

/** The server's refusals, in words. */
export const refusalWords: Record<Lang, AccessText['refusals']> = {
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
