import * as z from 'zod/mini'
import { requestTimeoutMs } from '../shared/api-client.js'
import { element, setText } from '../shared/dom.js'
import { createStaffPage } from '../shared/staff-page.js'
import { staffSessionKey, wireSignOut } from '../shared/staff-session.js'
import {
  describedPages,
  frontDoorPaths,
  openFeedPaths,
  pagesForRoles,
  type FrontDoorPage,
} from './front-door-pages.js'
import { homeText } from './home-text.js'

// The staff pages' language choice: the front door leads to sign-in, which keeps the same one.
const page = createStaffPage({ langKey: 'staff.lang', texts: homeText })

/**
 * Where each kind of page keeps its session on this browser: the sign-in page the staff's, the
 * parent and attendant pages (and the enrolment that starts them) the phone's.
 */
const sessionKeys = [
  { key: staffSessionKey, staff: true },
  { key: 'parent.accessToken', staff: false },
  { key: 'attendant.accessToken', staff: false },
] as const

/** Only the role (and a staff member's name) is read from /api/me: a parent's pupils are never kept. */
const meSchema = z.object({
  principal: z.object({ role: z.string(), sub: z.string(), admin: z.optional(z.boolean()) }),
})

interface Visitor {
  role: string
  staff: boolean
  sub: string
  admin: boolean
}

const ui = {
  page: element('page'),
  who: element('who'),
  signOut: element<HTMLButtonElement>('sign-out'),
  yourPages: element('your-pages'),
  yourPageList: element('your-page-list'),
  noPages: element('no-pages'),
  signIn: element('sign-in'),
  allPages: element('all-pages'),
  allPageList: element('all-page-list'),
  feedList: element('feed-list'),
}

/** Who this browser's stored session is, or null when it has none, or the server refuses or cannot tell. */
async function readVisitor(key: string, staff: boolean): Promise<Visitor | null> {
  const token = localStorage.getItem(key)?.trim()
  if (!token) return null
  try {
    const response = await fetch('/api/me', {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(requestTimeoutMs),
    })
    if (!response.ok) return null
    const me = meSchema.safeParse(await response.json())
    if (!me.success) return null
    const { role, sub, admin } = me.data.principal
    return { role, staff, sub: staff ? sub : '', admin: admin === true }
  } catch {
    return null
  }
}

let visitors: Visitor[] | null = null

const newNode = <K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text: string) => {
  const node = document.createElement(tag)
  node.className = className
  node.textContent = text
  return node
}

const newLink = (className: string, text: string, href: string) => {
  const link = newNode('a', className, text)
  link.href = href
  return link
}

/** A page as a list item: its name (a link when `linked`), who it is for and what it does. */
function pageItem(key: FrontDoorPage, linked: boolean): HTMLLIElement {
  const words = page.text().pages[key]
  const item = document.createElement('li')
  item.dataset.page = key
  item.append(
    linked
      ? newLink('page-name', words.name, frontDoorPaths[key])
      : newNode('strong', 'page-name', words.name),
    newNode('span', 'page-who', words.who),
    newNode('span', 'page-what', words.what),
  )
  return item
}

function render() {
  page.renderStatic()
  const t = page.text()
  ui.feedList.replaceChildren(
    ...openFeedPaths.map((path) => {
      const item = document.createElement('li')
      item.append(newLink('feed', t.feeds[path] ?? path, path))
      return item
    }),
  )
  if (visitors === null) return
  const signedIn = visitors.length > 0
  const staff = visitors.find((visitor) => visitor.staff)
  ui.page.dataset.state = signedIn ? 'signed-in' : 'signed-out'
  ui.page.dataset.roles = visitors.map((visitor) => visitor.role).join(' ')
  ui.yourPages.hidden = !signedIn
  ui.signIn.hidden = staff !== undefined
  ui.allPages.hidden = signedIn
  ui.signOut.hidden = staff === undefined
  setText(
    ui.who,
    visitors
      .map((visitor) =>
        [t.roles[visitor.role] ?? visitor.role, visitor.sub, visitor.admin ? t.admin : '']
          .filter(Boolean)
          .join(' · '),
      )
      .join(' / '),
  )
  const yours = pagesForRoles(visitors.map((visitor) => visitor.role))
  ui.yourPageList.replaceChildren(...yours.map((key) => pageItem(key, true)))
  ui.noPages.hidden = yours.length > 0
  ui.allPageList.replaceChildren(...describedPages.map((key) => pageItem(key, false)))
}

page.onLanguageChange(render)
wireSignOut(ui.signOut)
render()
void Promise.all(sessionKeys.map(({ key, staff }) => readVisitor(key, staff))).then((found) => {
  visitors = found.filter((visitor): visitor is Visitor => visitor !== null)
  element('checking').hidden = true
  render()
  ui.page.dataset.ready = 'true'
})
