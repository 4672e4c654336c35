import { h } from '../dom.ts'
import { buildField, showServerErrors, validateAll, valuesOf } from '../fields.ts'
import type { MessageKey } from '../i18n.ts'
import { describeFailure } from './failure-text.ts'
import { institutionHeader, type ScreenContext, type ScreenOf, type ScreenView } from './screen.ts'

type CredentialsScreen = ScreenOf<'credentials'>

const TITLES: Record<CredentialsScreen['mode'], { title: MessageKey; intro: MessageKey }> = {
  create: { title: 'credentials.title', intro: 'credentials.intro' },
  update: { title: 'credentials.updateTitle', intro: 'credentials.updateIntro' },
  reenter: { title: 'credentials.updateTitle', intro: 'credentials.updateIntro' },
  'retry-mfa': { title: 'credentials.retryTitle', intro: 'credentials.retryIntro' },
}

/**
 * The credential form, one labelled control per field of the connector (only its 1-step MFA fields
 * when that code alone is asked again). Values stay in the inputs until the flow sends them.
 */
export function mountCredentials(screen: CredentialsScreen, { t, language, dispatch, prefill }: ScreenContext): ScreenView<CredentialsScreen> {
  const { connector, mode } = screen
  const fields = mode === 'retry-mfa' ? connector.credentials.filter((f) => f.mfa) : connector.credentials
  const controls = fields.map((field) => buildField(field, t, { institution: connector.name, oneTimeCode: Boolean(field.mfa) }))
  for (const control of controls) {
    const value = mode === 'create' ? prefill[control.field.name] : undefined
    if (value) control.input.value = value
  }
  const formError = h('div', { class: 'form-error', role: 'alert' })
  const submitLabel = t(mode === 'create' ? 'credentials.submit' : 'credentials.submitUpdate')
  const submit = h('button', { type: 'submit', class: 'primary' }, submitLabel)
  const form = h('form', { class: 'credentials-form', novalidate: true, method: 'post', action: '', autocomplete: 'off' }, ...controls.map((c) => c.element), formError, submit)
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    formError.textContent = ''
    if (!validateAll(controls)) {
      formError.textContent = t('credentials.fixErrors')
      return
    }
    dispatch({ type: 'credentials-submitted', parameters: valuesOf(controls) })
  })
  // The summary goes once every field is fine again.
  form.addEventListener('input', () => {
    if (formError.textContent && controls.every((c) => c.validate(false) === null)) formError.textContent = ''
  })
  // Nothing to re-enter: an item whose credentials were accepted can run again as it is.
  const syncNow = screen.canSyncAsIs
    ? h(
        'div',
        { class: 'secondary-block' },
        h('p', {}, t('credentials.orSync')),
        h('button', { type: 'button', class: 'secondary', onclick: () => dispatch({ type: 'sync-requested' }) }, t('credentials.syncNow')),
      )
    : null

  let shownFailure: CredentialsScreen['failure'] = null
  const update = (next: CredentialsScreen) => {
    submit.disabled = next.busy
    submit.textContent = next.busy ? t('credentials.sending') : submitLabel
    const failure = next.failure
    if (!failure || failure === shownFailure) return
    shownFailure = failure
    if (failure.details.length) showServerErrors(controls, failure.details)
    const named = typeof failure.data.parameter === 'string' ? controls.find((c) => c.field.name === failure.data.parameter) : undefined
    if (named) {
      named.setError(failure.code === 'MFA_PARAMERTER_WAS_ALREADY_USED_ERROR' ? describeFailure(failure, t, language) : t('validation.required', { label: named.field.label }))
      named.input.focus()
    }
    formError.textContent = describeFailure(failure, t, language)
  }
  update(screen)
  const { title, intro } = TITLES[mode]
  return {
    nodes: [institutionHeader(connector, t), h('h1', {}, t(title, { name: connector.name })), h('p', { class: 'intro' }, t(intro, { name: connector.name })), form, syncNow],
    update,
  }
}
