/** Small builders for the page's tables and buttons. */
export function cell(tag: 'td' | 'th', value: string, className?: string) {
  const node = document.createElement(tag)
  node.textContent = value
  if (className) node.className = className
  return node
}

export function row(...cells: HTMLElement[]) {
  const tr = document.createElement('tr')
  tr.append(...cells)
  return tr
}

export function button(label: string, onClick: () => void, className?: string) {
  const node = document.createElement('button')
  node.type = 'button'
  node.textContent = label
  if (className) node.className = className
  node.addEventListener('click', onClick)
  return node
}

/** A column header: the page's language first, the other under it. */
export function twoLanguageHeader(first: string, second: string, secondLang: string) {
  const th = document.createElement('th')
  th.scope = 'col'
  const main = document.createElement('span')
  main.className = 'head-main'
  main.textContent = first
  const other = document.createElement('span')
  other.className = 'head-other'
  other.lang = secondLang
  other.textContent = second
  th.append(main, other)
  return th
}
