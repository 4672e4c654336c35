/** The sign-in page: client id and secret, or an API key, exchanged for the session cookie. */
import { ApiError, post } from './api.ts'
import { h, mount } from './dom.ts'
import { t } from './i18n.ts'

export function renderSignIn(root: HTMLElement): void {
  const status = h('p', { class: 'form-error', role: 'alert', id: 'sign-in-error' })
  const field = (id: string, label: string, type: string, autocomplete: string) =>
    h('div', { class: 'field' }, h('label', { for: id }, label), h('input', { id, name: id, type, autocomplete, spellcheck: 'false', 'aria-describedby': 'sign-in-error' }))
  const form = h(
    'form',
    { class: 'sign-in', novalidate: true, 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title' }, t('signIn.title')),
    h('p', { class: 'lead' }, t('signIn.lead')),
    field('clientId', t('signIn.clientId'), 'text', 'username'),
    field('clientSecret', t('signIn.clientSecret'), 'password', 'current-password'),
    h('p', { class: 'or' }, t('signIn.or')),
    field('apiKey', t('signIn.apiKey'), 'password', 'off'),
    status,
    h('button', { type: 'submit', class: 'primary' }, t('signIn.submit')),
  )
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const value = (name: string) => (form.querySelector(`#${name}`) as HTMLInputElement).value.trim()
    const apiKey = value('apiKey')
    const body = apiKey ? { apiKey } : { clientId: value('clientId'), clientSecret: value('clientSecret') }
    status.textContent = ''
    try {
      await post('/session', body)
      location.assign('/dashboard')
    } catch (error) {
      status.textContent = t('signIn.failed', { message: error instanceof ApiError ? error.message : String(error) })
    }
  })
  mount(root, h('main', { id: 'main', class: 'sign-in-page' }, form))
}
