import { h } from '../dom.ts'
import type { ScreenContext, ScreenOf, ScreenView } from './screen.ts'

/** While the first answer is on its way. */
export function mountLoading(_screen: ScreenOf<'loading'>, { t }: ScreenContext): ScreenView<ScreenOf<'loading'>> {
  return {
    nodes: [h('div', { class: 'center' }, h('div', { class: 'spinner', 'aria-hidden': 'true' }), h('h1', { class: 'sr-only' }, t('app.loading')), h('p', { role: 'status' }, t('app.loading')))],
  }
}
