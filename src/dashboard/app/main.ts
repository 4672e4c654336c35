/**
 * The dashboard's single page: the sign-in form, or the signed-in shell (header, navigation,
 * language) with the hash routes #/items, #/items/{id}, #/events and #/connectors.
 */
import { ApiError, get, post, setCsrfToken } from './api.ts'
import { renderConnectors } from './connectors-view.ts'
import { h, mount } from './dom.ts'
import { renderEvents } from './events-view.ts'
import { currentLanguage, LANGUAGES, preferredLanguage, setLanguage, t, type Language } from './i18n.ts'
import { renderItem, type Cleanup } from './item-view.ts'
import { renderItems } from './items-view.ts'
import { renderSignIn } from './sign-in.ts'
import type { Session } from './types.ts'

const root = document.getElementById('app')!
let cleanup: Cleanup | null = null

function languagePicker(onChange: () => void): HTMLElement {
  const select = h(
    'select',
    { id: 'language', 'aria-label': t('app.language') },
    LANGUAGES.map((l) => h('option', { value: l, ...(l === currentLanguage() ? { selected: true } : {}) }, l === 'en' ? 'English' : 'Português (Brasil)')),
  )
  select.addEventListener('change', () => {
    setLanguage(select.value as Language)
    onChange()
  })
  return select
}

/** Counts navigations: a view that finishes loading after the user went elsewhere is dropped. */
let navigation = 0

async function route(content: HTMLElement, moveFocus: boolean): Promise<void> {
  const current = ++navigation
  cleanup?.()
  cleanup = null
  const [path = '', search = ''] = location.hash.replace(/^#/, '').split('?')
  const params = Object.fromEntries(new URLSearchParams(search))
  const parts = path.split('/').filter(Boolean)
  for (const link of Array.from(document.querySelectorAll<HTMLAnchorElement>('nav.sections a'))) {
    if (link.getAttribute('href') === `#/${parts[0] ?? 'items'}`) link.setAttribute('aria-current', 'page')
    else link.removeAttribute('aria-current')
  }
  mount(content, h('p', { class: 'muted', role: 'status' }, t('app.loading')))
  // Each view renders into its own element, shown only if it is still the one asked for.
  const view = h('div', { class: 'view' })
  let stop: Cleanup | null = null
  try {
    if (parts[0] === 'items' && parts[1]) stop = await renderItem(view, parts[1])
    else if (parts[0] === 'events') await renderEvents(view)
    else if (parts[0] === 'connectors') await renderConnectors(view)
    else await renderItems(view, params, (hash) => (location.hash = hash))
  } catch (error) {
    mount(view, h('p', { class: 'form-error', role: 'alert' }, t('app.failed', { message: error instanceof ApiError ? error.message : String(error) })))
  }
  if (current !== navigation) {
    stop?.()
    return
  }
  cleanup = stop
  mount(content, view)
  // After a navigation, screen readers and the keyboard start from the new content.
  if (moveFocus) content.focus({ preventScroll: true })
}

function shell(session: Session): void {
  const content = h('main', { id: 'main', tabindex: -1 })
  const signOut = h('button', { type: 'button', class: 'button' }, t('app.signOut'))
  signOut.addEventListener('click', async () => {
    await post('/session/end').catch(() => undefined)
    location.assign('/dashboard/sign-in')
  })
  mount(
    root,
    h('a', { href: '#main', class: 'skip' }, t('app.skip')),
    h(
      'header',
      { class: 'top' },
      h('span', { class: 'brand' }, t('app.title')),
      h(
        'nav',
        { class: 'sections', 'aria-label': t('nav.label') },
        h('a', { href: '#/items' }, t('nav.items')),
        h('a', { href: '#/events' }, t('nav.events')),
        h('a', { href: '#/connectors' }, t('nav.connectors')),
      ),
      h('span', { class: 'who' }, `${t('app.signedInAs')}: `, h('code', {}, session.clientId)),
      languagePicker(() => shell(session)),
      signOut,
    ),
    content,
  )
  void route(content, false)
  window.onhashchange = () => void route(content, true)
}

async function start(): Promise<void> {
  setLanguage(preferredLanguage())
  if (document.body.dataset.view === 'sign-in') {
    const draw = () => {
      renderSignIn(root)
      root.prepend(h('div', { class: 'sign-in-language' }, languagePicker(draw)))
    }
    return draw()
  }
  const session = await get<Session>('/session')
  setCsrfToken(session.csrfToken)
  shell(session)
}

void start()
