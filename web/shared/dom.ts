export function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id)
  if (!found) throw new Error(`the page has no #${id}`)
  return found as T
}

/** Writes only a change, so that a screen reader does not repeat what stayed the same. */
export function setText(node: HTMLElement, value: string) {
  if (node.textContent !== value) node.textContent = value
}
