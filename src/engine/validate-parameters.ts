import type { ConnectorDefinition, CredentialField } from '../connectors/sdk/index.ts'

export interface ParameterError {
  code: '001' | '002'
  message: string
  parameter: string
}

/** Longest credential value accepted; real credentials are far shorter. */
export const MAX_PARAMETER_LENGTH = 2048

/** Checks credential values against the connector's field rules (SPEC §3.2: 001 missing, 002 fails the rule). */
export function validateParameters(fields: readonly CredentialField[], parameters: Record<string, unknown>, options: { skipMfaFields?: boolean } = {}): ParameterError[] {
  const errors: ParameterError[] = []
  for (const field of fields) {
    if (options.skipMfaFields && field.mfa) continue
    const value = parameters[field.name]
    if (value === undefined || value === null || value === '') {
      if (!field.optional) errors.push({ code: '001', message: `${field.label} is required.`, parameter: field.name })
      continue
    }
    // A number is a number field's value written as JSON; anywhere else the field's text is expected.
    if (typeof value !== 'string' && !(typeof value === 'number' && field.type === 'number')) {
      errors.push({ code: '002', message: `${field.label} must be ${field.type === 'number' ? 'a number or digits' : 'text'}.`, parameter: field.name })
      continue
    }
    const text = String(value)
    if (text.length > MAX_PARAMETER_LENGTH) {
      errors.push({ code: '002', message: `${field.label} is too long (at most ${MAX_PARAMETER_LENGTH} characters).`, parameter: field.name })
    } else if (field.validation && !new RegExp(field.validation).test(text)) {
      errors.push({ code: '002', message: field.validationMessage ?? `${field.label} is not valid.`, parameter: field.name })
    } else if (field.type === 'select' && field.options && !field.options.some((o) => o.value === text)) {
      errors.push({ code: '002', message: `${field.label} must be one of ${field.options.map((o) => o.value).join(', ')}.`, parameter: field.name })
    }
  }
  return errors
}

/** Only the connector's own fields, as strings: unknown keys are dropped, never stored. */
export function pickCredentials(connector: ConnectorDefinition, parameters: Record<string, unknown>): Record<string, string> {
  const picked: Record<string, string> = {}
  for (const field of connector.credentials) {
    const value = parameters[field.name]
    if (typeof value === 'string' || typeof value === 'number') picked[field.name] = String(value)
  }
  return picked
}
