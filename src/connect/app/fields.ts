/**
 * Form fields generated from a connector's credential fields or an MFA parameter (SPEC §3.2,
 * §2.3): a labelled control per field (the credential's own label), placeholder, password masking
 * with a show/hide toggle, select options, assistive text, and the same validation the server
 * applies (required unless optional, the field's regex with its validationMessage, select values).
 * Values live only in the DOM until they are sent; nothing is written to storage or the URL.
 */
import { h, icon, uid } from './dom.ts'
import type { Translate } from './i18n.ts'
import type { CredentialField } from './types.ts'

export interface FieldControl {
  field: CredentialField
  element: HTMLElement
  input: HTMLInputElement | HTMLSelectElement
  /** The value to send ('' when empty). */
  value(): string
  /** Shows or clears an error message under the field. */
  setError(message: string | null): void
  /** The field's error, or null; `show` also displays it. */
  validate(show: boolean): string | null
}

/** The server's rule, client-side (validate-parameters.ts: the regex is tested, not anchored). */
export function fieldError(field: CredentialField, value: string, t: Translate): string | null {
  if (value === '') return field.optional ? null : t('validation.required', { label: field.label })
  if (field.validation) {
    let rule: RegExp | null = null
    try {
      rule = new RegExp(field.validation)
    } catch {
      rule = null
    }
    if (rule && !rule.test(value)) return field.validationMessage || t('validation.invalid', { label: field.label })
  }
  if (field.type === 'select' && field.options && !field.options.some((o) => o.value === value)) return t('validation.invalid', { label: field.label })
  return null
}

/** A challenge image from the institution: shown only from a data: URL; other text is shown as text. */
function challenge(field: CredentialField, t: Translate, institution: string): HTMLElement | null {
  if (!field.data) return null
  if (/^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,/i.test(field.data)) {
    return h('figure', { class: 'challenge' }, h('img', { src: field.data, alt: t('mfa.imageAlt', { name: institution }), class: 'challenge-image' }))
  }
  return h('figure', { class: 'challenge' }, h('pre', { class: 'challenge-text', 'aria-label': t('mfa.imageAlt', { name: institution }) }, field.data))
}

export function buildField(field: CredentialField, t: Translate, options: { institution: string; autofocus?: boolean; oneTimeCode?: boolean } = { institution: '' }): FieldControl {
  const id = uid(`field-${field.name.replace(/[^A-Za-z0-9_-]/g, '')}`)
  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const error = h('p', { id: errorId, class: 'field-error', hidden: true })
  const hint = field.assistiveText ? h('p', { id: hintId, class: 'field-hint' }, field.assistiveText) : null
  const describedBy = [hint ? hintId : null, errorId].filter(Boolean).join(' ')

  let input: HTMLInputElement | HTMLSelectElement
  let toggle: HTMLButtonElement | null = null
  if (field.type === 'select') {
    input = h(
      'select',
      { id, name: field.name, 'aria-describedby': describedBy, required: !field.optional, 'aria-required': field.optional ? 'false' : 'true' },
      h('option', { value: '' }, field.placeholder || t('credentials.choose')),
      ...(field.options ?? []).map((o) => h('option', { value: o.value }, o.label)),
    )
  } else {
    const isPassword = field.type === 'password'
    const numeric = field.type === 'number'
    input = h('input', {
      id,
      name: field.name,
      // Numbers are typed as text with a numeric keyboard: codes keep their leading zeros.
      type: isPassword ? 'password' : 'text',
      inputmode: numeric ? 'numeric' : null,
      placeholder: field.placeholder ?? null,
      autocomplete: options.oneTimeCode ? 'one-time-code' : 'off',
      autocapitalize: 'off',
      autocorrect: 'off',
      spellcheck: 'false',
      'aria-describedby': describedBy,
      required: !field.optional,
      'aria-required': field.optional ? 'false' : 'true',
      maxlength: 2048,
    })
    if (isPassword) {
      const passwordInput = input as HTMLInputElement
      toggle = h('button', { type: 'button', class: 'toggle-password', 'aria-controls': id, 'aria-pressed': 'false', 'aria-label': t('credentials.showPassword', { label: field.label }) }, icon('eye'))
      const button = toggle
      button.addEventListener('click', () => {
        const show = passwordInput.type === 'password'
        passwordInput.type = show ? 'text' : 'password'
        button.setAttribute('aria-pressed', String(show))
        button.setAttribute('aria-label', t(show ? 'credentials.hidePassword' : 'credentials.showPassword', { label: field.label }))
        button.replaceChildren(icon(show ? 'eyeOff' : 'eye'))
      })
    }
  }
  if (options.autofocus) input.setAttribute('autofocus', '')

  const label = h('label', { for: id, class: 'field-label' }, field.label, field.optional ? h('span', { class: 'optional' }, ` (${t('app.optional')})`) : null)
  const element = h(
    'div',
    { class: `field field-${field.type}` },
    label,
    challenge(field, t, options.institution),
    toggle ? h('div', { class: 'input-with-button' }, input, toggle) : input,
    hint,
    error,
  )

  const control: FieldControl = {
    field,
    element,
    input,
    // Passwords are sent as typed; other values without surrounding spaces.
    value: () => (field.type === 'password' ? input.value : input.value.trim()),
    setError(message) {
      error.textContent = message ?? ''
      error.hidden = !message
      if (message) input.setAttribute('aria-invalid', 'true')
      else input.removeAttribute('aria-invalid')
    },
    validate(show) {
      const message = fieldError(field, control.value(), t)
      if (show) control.setError(message)
      return message
    },
  }
  // Errors appear on submit (not on blur: a message appearing under a field would move the submit
  // button away from the pointer mid-click) and clear as soon as the value becomes valid.
  input.addEventListener('input', () => {
    if (input.getAttribute('aria-invalid') === 'true') control.validate(true)
  })
  input.addEventListener('change', () => {
    if (input.getAttribute('aria-invalid') === 'true') control.validate(true)
  })
  return control
}

/** Validates every control; shows the errors; focuses the first wrong one. True when all are valid. */
export function validateAll(controls: FieldControl[]): boolean {
  let first: FieldControl | null = null
  for (const control of controls) {
    if (control.validate(true) && !first) first = control
  }
  first?.input.focus()
  return first === null
}

/** The values to send: only non-empty ones (optional fields left empty are not sent). */
export function valuesOf(controls: FieldControl[]): Record<string, string> {
  const values: Record<string, string> = {}
  for (const control of controls) {
    const value = control.value()
    if (value !== '') values[control.field.name] = value
  }
  return values
}

/** Shows the server's validation details (CONNECTOR_VALIDATION_ERROR) on the matching fields. */
export function showServerErrors(controls: FieldControl[], details: { parameter?: string; message?: string }[]): boolean {
  let shown = false
  for (const detail of details) {
    const name = (detail.parameter ?? '').replace(/^body\./, '').replace(/^parameters\./, '')
    const control = controls.find((c) => c.field.name === name)
    if (control && detail.message) {
      control.setError(detail.message)
      shown = true
    }
  }
  controls.find((c) => c.input.getAttribute('aria-invalid') === 'true')?.input.focus()
  return shown
}
