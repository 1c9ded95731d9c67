import { ApiRejected } from '../shared/api-client.js'
import { element, setText } from '../shared/dom.js'
import { cell, row } from '../shared/table-cells.js'
import { failureText, type AccessContext } from './access-context.js'
import type { Account, School } from './access-contract.js'
import { button, cixiMoment, emptyRow, headRow, span } from './table-cells.js'

/**
 * The staff accounts: the list with each one's state, and for an administrator creating, changing,
 * disabling and enabling them and resetting a password (the one-time password shown once).
 */
export function createAccountsView(ctx: AccessContext) {
  const ui = {
    table: element<HTMLTableElement>('accounts'),
    add: element<HTMLButtonElement>('account-add'),
    dialog: element<HTMLDialogElement>('account-dialog'),
    form: element<HTMLFormElement>('account-form'),
    title: element('account-title'),
    refused: element('account-refused'),
    username: element<HTMLInputElement>('account-username'),
    name: element<HTMLInputElement>('account-name'),
    role: element<HTMLSelectElement>('account-role'),
    schoolField: element('account-school-field'),
    school: element<HTMLSelectElement>('account-school'),
    adminField: element('account-admin-field'),
    admin: element<HTMLInputElement>('account-admin'),
    cancel: element<HTMLButtonElement>('account-cancel'),
  }
  let accounts: Account[] = []
  let schools: School[] = []
  let loaded = false
  /** The account the dialog edits; null for a new one. */
  let editing: Account | null = null

  const schoolName = (id: string | null) => {
    if (!id) return '—'
    const school = schools.find((s) => s.id === id)
    if (!school) return id
    return ctx.lang() === 'en' && school.nameEn ? school.nameEn : school.nameZh
  }

  function stateOf(account: Account): HTMLElement {
    const t = ctx.t()
    const lockedUntil = account.lockedUntil ? Date.parse(account.lockedUntil) : 0
    if (account.disabledAt) return span(t.states.disabled, 'state disabled')
    if (lockedUntil > Date.now())
      return span(t.states.locked(cixiMoment(account.lockedUntil)), 'state locked')
    if (account.mustChangePassword) return span(t.states.mustChange, 'state must-change')
    return span(t.states.active, 'state active')
  }

  function render() {
    const t = ctx.t()
    const h = t.accountHeaders
    ui.add.hidden = !ctx.admin
    for (const option of ui.role.options) option.textContent = t.roles[option.value as 'bureau' | 'school']
    ui.table
      .createTHead()
      .replaceChildren(
        headRow([
          h.username,
          h.name,
          h.role,
          h.school,
          h.state,
          h.lastSignIn,
          ...(ctx.admin ? [h.actions] : []),
        ]),
      )
    const body = ui.table.tBodies[0] ?? ui.table.createTBody()
    const columns = ctx.admin ? 7 : 6
    if (accounts.length === 0) {
      body.replaceChildren(emptyRow(loaded ? t.noAccounts : t.loading, columns))
      return
    }
    body.replaceChildren(
      ...accounts.map((account) => {
        const role = cell('td', t.roles[account.role], 'role')
        if (account.admin) role.append(span(t.admin, 'badge'))
        const lastSignIn = cell(
          'td',
          account.lastSignInAt ? cixiMoment(account.lastSignInAt) : t.never,
          'time',
        )
        if (account.openSessions > 0) lastSignIn.append(span(t.openSessions(account.openSessions), 'sub'))
        const tr = row(
          cell('td', account.username, 'username'),
          cell('td', account.displayName, 'name'),
          role,
          cell('td', schoolName(account.schoolId), 'school'),
          cell('td', stateOf(account), 'state-cell'),
          lastSignIn,
        )
        if (ctx.admin) {
          const self = account.username === ctx.me
          const actions = cell('td', '', 'actions')
          actions.append(
            button(t.edit, () => openDialog(account), 'edit'),
            button(t.resetPassword, () => void resetPassword(account).catch(ctx.fail), 'reset'),
          )
          if (account.disabledAt)
            actions.append(button(t.enable, () => void enable(account).catch(ctx.fail), 'enable'))
          else if (!self)
            actions.append(
              button(t.disable, () => void disable(account).catch(ctx.fail), 'disable danger-text'),
            )
          tr.append(actions)
        }
        tr.dataset.username = account.username
        return tr
      }),
    )
  }

  function renderSchools() {
    ui.school.replaceChildren(
      ...schools.map((school) => {
        const option = document.createElement('option')
        option.value = school.id
        option.textContent = `${schoolName(school.id)} (${school.id})`
        return option
      }),
    )
  }

  function syncRoleFields() {
    const school = ui.role.value === 'school'
    ui.schoolField.hidden = !school
    ui.adminField.hidden = school
    if (school) ui.admin.checked = false
  }

  function openDialog(account: Account | null) {
    const t = ctx.t()
    editing = account
    renderSchools()
    setText(ui.title, account ? t.editAccountTitle(account.username) : t.newAccountTitle)
    ui.refused.hidden = true
    ui.username.value = account?.username ?? ''
    ui.username.readOnly = account !== null
    ui.name.value = account?.displayName ?? ''
    ui.role.value = account?.role ?? 'bureau'
    ui.school.value = account?.schoolId ?? schools[0]?.id ?? ''
    ui.admin.checked = account?.admin ?? false
    syncRoleFields()
    ui.dialog.showModal()
    ;(account ? ui.name : ui.username).focus()
  }

  async function save() {
    const t = ctx.t()
    const role = ui.role.value as 'bureau' | 'school'
    const fields = {
      displayName: ui.name.value.trim(),
      role,
      schoolCode: role === 'school' ? ui.school.value || null : null,
      admin: role === 'bureau' && ui.admin.checked,
    }
    try {
      if (editing) {
        const { after } = await ctx.api.changeAccount(editing.id, fields)
        ui.dialog.close()
        ctx.tell(t.changed(after.username))
      } else {
        const created = await ctx.api.createAccount({ username: ui.username.value.trim(), ...fields })
        ui.dialog.close()
        ctx.tell(t.created(created.account.username))
        showOneTimePassword(created.account.username, created.oneTimePassword)
      }
    } catch (error) {
      if (!(error instanceof ApiRejected)) return ctx.fail(error)
      ui.refused.hidden = false
      setText(ui.refused, failureText(error, t))
      ui.refused.focus()
      return
    }
    await refresh()
  }

  function showOneTimePassword(username: string, password: string) {
    const t = ctx.t()
    ctx.dialogs.showSecret({
      title: t.oneTimeTitle(username),
      note: t.oneTimeNote,
      values: [
        [t.usernameLabel, username, 'username'],
        [t.credentialFields.password, password, 'password'],
      ],
    })
  }

  async function resetPassword(account: Account) {
    const t = ctx.t()
    const asked = await ctx.dialogs.ask({
      title: t.resetTitle(account.username),
      warning: t.resetWarning,
      withReason: false,
    })
    if (!asked) return
    const reset = await ctx.api.resetPassword(account.id)
    showOneTimePassword(reset.account.username, reset.oneTimePassword)
    await refresh()
  }

  async function disable(account: Account) {
    const t = ctx.t()
    const asked = await ctx.dialogs.ask({
      title: t.disableTitle(account.username),
      warning: t.disableWarning,
      withReason: false,
    })
    if (!asked) return
    await ctx.api.changeAccount(account.id, { disabled: true })
    ctx.tell(t.disabled(account.username))
    await refresh()
  }

  async function enable(account: Account) {
    await ctx.api.changeAccount(account.id, { disabled: false })
    ctx.tell(ctx.t().enabled(account.username))
    await refresh()
  }

  async function refresh() {
    if (!ctx.admin) {
      loaded = true
      return render()
    }
    if (schools.length === 0) schools = await ctx.api.schools()
    accounts = await ctx.api.accounts()
    loaded = true
    render()
  }

  ui.add.addEventListener('click', () => openDialog(null))
  ui.role.addEventListener('change', syncRoleFields)
  ui.cancel.addEventListener('click', () => ui.dialog.close())
  ui.form.addEventListener('submit', (event) => {
    event.preventDefault()
    void save().catch(ctx.fail)
  })

  return { render, refresh }
}
