import { describe, expect, it } from 'vitest'
import { ITEM_STATUSES } from './statuses.ts'
import { LOGIN_FAILURE_COOL_DOWN_MS, loginCoolDownEnd, refuseUpdateAfterValidation, refuseUpdateBeforeValidation } from './update-guards.ts'

// SPEC §2.3 and §2.6: whether PATCH /items/{id} may start an execution.

const NOW = new Date('2030-03-01T12:00:00.000Z')
const TOKEN = { name: 'token', label: 'Token' }
const before = { parametersGiven: true, oneStepMfaFields: [], givenFields: new Set<string>() }
const after = { oneStepMfaFields: [], mfaValueReused: false, consecutiveFailedLoginAttempts: 0, lastLoginErrorAt: null, sameAsRejectedCredentials: false, now: NOW }

describe('update guards', () => {
  it('refuses while an execution runs or waits, and lets a finished item update', () => {
    for (const status of ITEM_STATUSES) {
      const refusal = refuseUpdateBeforeValidation({ ...before, status })
      expect(refusal?.code ?? null, status).toBe(status === 'UPDATING' || status === 'WAITING_USER_INPUT' || status === 'WAITING_USER_ACTION' ? 'ITEM_ALREADY_UPDATING' : null)
    }
  })

  it('a LOGIN_ERROR item needs new parameters; another item may sync with the stored ones', () => {
    expect(refuseUpdateBeforeValidation({ ...before, status: 'LOGIN_ERROR', parametersGiven: false })?.code).toBe('PARAMETERS_NOT_PROVIDED')
    expect(refuseUpdateBeforeValidation({ ...before, status: 'OUTDATED', parametersGiven: false })).toBeNull()
  })

  it('a 1-step code must come with every update, and not the one used last', () => {
    expect(refuseUpdateBeforeValidation({ ...before, status: 'UPDATED', oneStepMfaFields: [TOKEN] })).toMatchObject({
      code: 'CONNECTOR_REQUIRED_PARAMETER_VALIDATION_ERROR',
      data: { parameter: 'token' },
    })
    expect(refuseUpdateBeforeValidation({ ...before, status: 'UPDATED', oneStepMfaFields: [TOKEN], givenFields: new Set(['token']) })).toBeNull()
    expect(refuseUpdateAfterValidation({ ...after, oneStepMfaFields: [TOKEN], mfaValueReused: true })).toMatchObject({ code: 'MFA_PARAMERTER_WAS_ALREADY_USED_ERROR', data: { parameter: 'token' } })
  })

  it('two login errors in a row block the same credentials for 15 minutes, and only those', () => {
    const lastLoginErrorAt = new Date(NOW.getTime() - 60_000)
    const blocked = refuseUpdateAfterValidation({ ...after, consecutiveFailedLoginAttempts: 2, lastLoginErrorAt, sameAsRejectedCredentials: true })
    expect(blocked).toMatchObject({ code: 'TOO_MANY_CONSECUTIVE_LOGIN_FAILURES', data: { canRetryAfterDate: new Date(lastLoginErrorAt.getTime() + LOGIN_FAILURE_COOL_DOWN_MS).toISOString() } })
    expect(refuseUpdateAfterValidation({ ...after, consecutiveFailedLoginAttempts: 2, lastLoginErrorAt, sameAsRejectedCredentials: false })).toBeNull()
    expect(refuseUpdateAfterValidation({ ...after, consecutiveFailedLoginAttempts: 1, lastLoginErrorAt, sameAsRejectedCredentials: true })).toBeNull()
    expect(loginCoolDownEnd({ consecutiveFailedLoginAttempts: 2, lastLoginErrorAt, now: new Date(lastLoginErrorAt.getTime() + LOGIN_FAILURE_COOL_DOWN_MS) })).toBeNull()
  })
})
