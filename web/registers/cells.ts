/** The registers page's builders for its buttons and column headers. */
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
