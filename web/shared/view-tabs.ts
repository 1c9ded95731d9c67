import { element, setText } from './dom.js'

/**
 * A page's tabs: the buttons of `nav` with `data-view`, each showing the section `#view-<name>`.
 * `label` names them in the page's language; `show` shows one view and marks its button current.
 */
export function createViewTabs<V extends string>(nav: HTMLElement, views: readonly V[]) {
  const buttons = () => nav.querySelectorAll<HTMLButtonElement>('button[data-view]')
  return {
    buttons,
    label(navLabel: string, names: Record<V, string>): void {
      nav.setAttribute('aria-label', navLabel)
      for (const button of buttons()) setText(button, names[button.dataset.view as V])
    },
    show(view: V): void {
      for (const name of views) {
        element(`view-${name}`).hidden = name !== view
        const button = nav.querySelector<HTMLButtonElement>(`button[data-view="${name}"]`)
        if (name === view) button?.setAttribute('aria-current', 'page')
        else button?.removeAttribute('aria-current')
      }
    },
  }
}
