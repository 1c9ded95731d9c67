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
