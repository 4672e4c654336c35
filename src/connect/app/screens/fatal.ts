import { h, icon } from '../dom.ts'
import { describeFailure } from './failure-text.ts'
import type { ScreenContext, ScreenOf, ScreenView } from './screen.ts'

/** The page cannot go on: no token, an expired one, or the first call refused. */
export function mountFatal(screen: ScreenOf<'fatal'>, { t, language }: ScreenContext): ScreenView<ScreenOf<'fatal'>> {
  const message = screen.failure ? describeFailure(screen.failure, t, language) : t('fatal.noToken')
  return {
    nodes: [h('div', { class: 'center' }, h('div', { class: 'status-icon status-error' }, icon('alert')), h('h1', {}, t('fatal.title')), h('p', { role: 'alert' }, message))],
  }
}
