import { h, icon } from '../dom.ts'
import { institutionHeader, type ScreenContext, type ScreenOf, type ScreenView } from './screen.ts'

type AuthorizationScreen = ScreenOf<'authorization'>

/** Below this width the institution's page replaces this one instead of opening in a popup. */
const NARROW_PX = 600

/**
 * The user must act outside the application: approve in the institution's app (device
 * authorization; the engine's follow-ups carry it on by themselves), or — Open Finance, when the
 * action carries the institution's page (`attributes.url`) — go to that page, in a popup (or in this
 * window on narrow screens), while this screen follows the item until the institution sends the user back.
 */
export function mountAuthorization(screen: AuthorizationScreen, context: ScreenContext): ScreenView<AuthorizationScreen> {
  const url = screen.userAction?.attributes?.url
  return url ? mountInstitutionPage(screen, url, context) : mountDeviceApproval(screen, context)
}

function expiryHint(screen: AuthorizationScreen, { t, language }: ScreenContext, key: 'authorization.expires' | 'institutionPage.expires'): HTMLElement | null {
  const expires = screen.userAction?.expiresAt ? new Date(screen.userAction.expiresAt) : null
  return expires && !Number.isNaN(expires.getTime()) ? h('p', { class: 'hint' }, t(key, { time: expires.toLocaleString(language) })) : null
}

function mountDeviceApproval(screen: AuthorizationScreen, context: ScreenContext): ScreenView<AuthorizationScreen> {
  const { t } = context
  const statusLine = h('p', { class: 'waiting', role: 'status', 'aria-live': 'polite' })
  const update = (next: AuthorizationScreen) => {
    statusLine.textContent = t(next.checking ? 'authorization.checking' : 'authorization.waiting')
  }
  update(screen)
  return {
    nodes: [
      institutionHeader(screen.connector, t),
      h('h1', {}, t('authorization.title')),
      h('div', { class: 'instructions' }, icon('phone', 'icon icon-large'), h('p', {}, screen.userAction?.instructions ?? '')),
      expiryHint(screen, context, 'authorization.expires'),
      h('div', { class: 'spinner', 'aria-hidden': 'true' }),
      statusLine,
    ],
    update,
  }
}

function mountInstitutionPage(screen: AuthorizationScreen, url: string, context: ScreenContext): ScreenView<AuthorizationScreen> {
  const { t } = context
  const name = screen.connector?.name ?? ''
  let popup: Window | null = null
  const statusLine = h('p', { class: 'waiting', role: 'status', 'aria-live': 'polite' }, t('institutionPage.waiting'))
  const open = h('button', { type: 'button', class: 'primary', id: 'open-institution' }, t('institutionPage.open', { name }))
  open.addEventListener('click', () => {
    if (window.innerWidth >= NARROW_PX) {
      // Opened by the user's click, so no blocker stops it; the return page closes it by itself.
      popup = window.open(url, 'tributary-institution', 'popup,width=520,height=720')
      if (popup) return
      context.announce(t('institutionPage.blocked'))
    }
    window.location.assign(url)
  })
  return {
    nodes: [
      institutionHeader(screen.connector, t),
      h('h1', {}, t('institutionPage.title', { name })),
      h('p', { class: 'intro' }, t('institutionPage.intro')),
      h('p', { class: 'instructions' }, screen.userAction?.instructions ?? ''),
      open,
      expiryHint(screen, context, 'institutionPage.expires'),
      statusLine,
    ],
    focus: open,
    // The flow moved on (the user came back, or the window closed): the popup is no longer needed.
    dispose: () => {
      if (popup && !popup.closed) popup.close()
    },
  }
}
