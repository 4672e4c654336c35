import { describe, expect, it } from 'vitest'
import type { CredentialField } from '../connectors/sdk/index.ts'
import { validateParameters } from './validate-parameters.ts'

const FIELDS: CredentialField[] = [
  { name: 'user', label: 'User', type: 'text' },
  { name: 'password', label: 'Password', type: 'password' },
  { name: 'token', label: 'Code', type: 'number', validation: '^\\d{6}$', mfa: true },
]

describe('validateParameters (SPEC §3.2: 001 missing, 002 fails the rule)', () => {
  it('refuses a number where text is expected, but takes one for a number field', () => {
    expect(validateParameters(FIELDS, { user: 123, password: 'x', token: 123456 })).toEqual([{ code: '002', message: 'User must be text.', parameter: 'user' }])
    expect(validateParameters(FIELDS, { user: 'u', password: 'x', token: '123456' })).toEqual([])
  })

  it('refuses other JSON values, reports missing fields and rule failures', () => {
    expect(validateParameters(FIELDS, { user: true, password: { a: 1 }, token: [1] }).map((e) => [e.parameter, e.code])).toEqual([
      ['user', '002'],
      ['password', '002'],
      ['token', '002'],
    ])
    expect(validateParameters(FIELDS, { password: '', token: '12' }).map((e) => [e.parameter, e.code])).toEqual([
      ['user', '001'],
      ['password', '001'],
      ['token', '002'],
    ])
  })
})
