import { h, icon } from '../dom.ts'
import { ERROR_SCREENS } from '../i18n.ts'
import { describeFailure } from './failure-text.ts'
import type { ScreenContext, ScreenOf, ScreenView } from './screen.ts'

type ErrorScreen = ScreenOf<'error'>

/** An execution's error in plain words, the institution's own words when given, and the action that fits. */
export function mountError(screen: ErrorScreen, { t, language, dispatch }: ScreenContext): ScreenView<ErrorScreen> {
  const words = ERROR_SCREENS[screen.code]
  const actionError = h('div', { class: 'form-error', role: 'alert' })
  const button = (label: string, kind: 'primary' | 'secondary', onclick: () => void) => h('button', { type: 'button', class: kind, onclick }, label)
  let retry: HTMLButtonElement | null = null
  const actions: HTMLElement[] = []
  switch (screen.action) {
    case 'credentials':
      actions.push(button(t('error.reenter'), 'primary', () => dispatch({ type: 'reenter-requested' })))
      break
    case 'retry':
      retry = button(t('error.retry'), 'primary', () => dispatch({ type: 'sync-requested' }))
      actions.push(retry)
      break
    case 'contact-bank':
      actions.push(h('p', { class: 'notice' }, t('error.contactBank')))
      break
    case 'other-institution':
      break
    default:
      throw new Error(`unexpected action ${JSON.stringify(screen.action satisfies never)}`)
  }
  if (screen.canChooseAnother) actions.push(button(t('error.otherInstitution'), 'secondary', () => dispatch({ type: 'other-institution-requested' })))
  if (screen.canClose) actions.push(button(t('error.close'), 'secondary', () => dispatch({ type: 'close-requested' })))

  const update = (next: ErrorScreen) => {
    if (retry) retry.disabled = next.busy
    actionError.textContent = next.failure ? describeFailure(next.failure, t, language) : ''
  }
  update(screen)
  return {
    nodes: [
      h(
        'div',
        { class: 'center' },
        h('div', { class: 'status-icon status-error' }, icon('alert')),
        h('h1', {}, t(words.title)),
        h('p', {}, t(words.body)),
        screen.providerMessage ? h('blockquote', { class: 'provider-message' }, h('p', { class: 'provider-label' }, t('error.bankSaid')), h('p', {}, screen.providerMessage)) : null,
        h('p', { class: 'error-code' }, screen.code),
        actionError,
        h('div', { class: 'actions' }, ...actions),
      ),
    ],
    update,
  }
}
