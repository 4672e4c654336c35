import { h, icon } from '../dom.ts'
import { buildField, showServerErrors, validateAll, valuesOf } from '../fields.ts'
import type { CredentialField } from '../types.ts'
import { describeFailure } from './failure-text.ts'
import { institutionHeader, type ScreenContext, type ScreenOf, type ScreenView } from './screen.ts'

type MfaScreen = ScreenOf<'mfa'>

/** One MFA question (any parameter type), with a countdown to `parameter.expiresAt`. */
export function mountMfa(screen: MfaScreen, { t, language, dispatch, announce, serverNow }: ScreenContext): ScreenView<MfaScreen> {
  const { parameter, connector } = screen
  const institution = connector?.name ?? ''
  const field: CredentialField = { ...parameter, optional: false }
  const control = buildField(field, t, { institution, oneTimeCode: parameter.type === 'number' || parameter.type === 'text' })
  const formError = h('div', { class: 'form-error', role: 'alert' })
  const submit = h('button', { type: 'submit', class: 'primary' }, t('mfa.submit'))
  const timer = h('p', { class: 'countdown', role: 'timer', 'aria-live': 'off' })
  const form = h('form', { class: 'mfa-form', novalidate: true, method: 'post', action: '', autocomplete: 'off' }, control.element, timer, formError, submit)
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    formError.textContent = ''
    if (validateAll([control])) dispatch({ type: 'mfa-submitted', values: valuesOf([control]) })
  })

  let expired = false
  let shownFailure: MfaScreen['failure'] = null
  const update = (next: MfaScreen) => {
    submit.disabled = next.busy || expired
    if (next.notWaiting) formError.textContent = t('mfa.notWaiting')
    const failure = next.failure
    if (!failure || failure === shownFailure) return
    shownFailure = failure
    if (failure.details.length) showServerErrors([control], failure.details)
    formError.textContent = describeFailure(failure, t, language)
  }

  let interval: ReturnType<typeof setInterval> | undefined
  const expiresAt = Date.parse(parameter.expiresAt ?? '')
  if (!Number.isNaN(expiresAt)) {
    const announced = new Set<number>()
    let first = true
    const tick = () => {
      const seconds = Math.max(0, Math.ceil((expiresAt - serverNow()) / 1000))
      const time = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
      timer.replaceChildren(icon('clock', 'icon icon-small'), h('span', {}, t('mfa.timeLeft', { time })))
      timer.classList.toggle('urgent', seconds <= 30)
      // Screen readers hear the time left at a few marks, not every second.
      for (const mark of [60, 30, 10]) {
        if (seconds > mark || announced.has(mark)) continue
        announced.add(mark)
        if (!first && seconds > 0) announce(t('mfa.timeLeftAnnounce', { seconds }))
      }
      first = false
      if (seconds === 0) {
        expired = true
        submit.disabled = true
        control.input.disabled = true
        formError.textContent = t('mfa.expired')
        clearInterval(interval)
      }
    }
    interval = setInterval(tick, 1000)
    tick()
  }
  update(screen)
  return {
    nodes: [institutionHeader(connector, t), h('h1', {}, t('mfa.title', { name: institution })), h('p', { class: 'intro' }, t('mfa.intro')), form],
    update,
    dispose: () => clearInterval(interval),
    focus: control.input,
  }
}
