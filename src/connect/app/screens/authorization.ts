import { h, icon } from '../dom.ts'
import { institutionHeader, type ScreenContext, type ScreenOf, type ScreenView } from './screen.ts'

type AuthorizationScreen = ScreenOf<'authorization'>

/** Device authorization: the institution's instructions; the engine's follow-ups carry it on by themselves. */
export function mountAuthorization(screen: AuthorizationScreen, { t, language }: ScreenContext): ScreenView<AuthorizationScreen> {
  const statusLine = h('p', { class: 'waiting', role: 'status', 'aria-live': 'polite' })
  const update = (next: AuthorizationScreen) => {
    statusLine.textContent = t(next.checking ? 'authorization.checking' : 'authorization.waiting')
  }
  update(screen)
  const expires = screen.userAction?.expiresAt ? new Date(screen.userAction.expiresAt) : null
  return {
    nodes: [
      institutionHeader(screen.connector, t),
      h('h1', {}, t('authorization.title')),
      h('div', { class: 'instructions' }, icon('phone', 'icon icon-large'), h('p', {}, screen.userAction?.instructions ?? '')),
      expires && !Number.isNaN(expires.getTime()) ? h('p', { class: 'hint' }, t('authorization.expires', { time: expires.toLocaleString(language) })) : null,
      h('div', { class: 'spinner', 'aria-hidden': 'true' }),
      statusLine,
    ],
    update,
  }
}
