/** Small builders for the pages' tables. */
export function cell(tag: 'td' | 'th', value: string | Node, className?: string) {
  const node = document.createElement(tag)
  if (typeof value === 'string') node.textContent = value
  else node.append(value)
  if (className) node.className = className
  return node
}

export function row(...cells: HTMLElement[]) {
  const tr = document.createElement('tr')
  tr.append(...cells)
  return tr
}
