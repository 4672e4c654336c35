import { describe, it, expect } from 'vitest'
import { initialLifecycleState, invariantViolations, type LifecycleState } from './lifecycle.ts'
import { PARAM, USER_ACTION, drive, PATHS, type PathName, stateAt } from './lifecycle-test-support.ts'

// invariantViolations catches broken states.

describe('invariantViolations', () => {
  it.each(['created', 'login', 'waiting', 'loginMfa', 'merging', 'success', 'loginError', 'outdated', 'pending'] as const)('accepts the valid state at %s', (at) => {
    expect(invariantViolations(stateAt(at))).toEqual([])
  })

  it('accepts the initial state', () => {
    expect(invariantViolations(initialLifecycleState())).toEqual([])
  })

  const broken: [string, PathName, Partial<LifecycleState>, RegExp][] = [
    ['UPDATED while a step is in progress', 'login', { status: 'UPDATED' }, /status/],
    ['OUTDATED while a step is in progress', 'accounts', { status: 'OUTDATED' }, /status/],
    ['UPDATING after the execution finished', 'success', { status: 'UPDATING' }, /status/],
    ['WAITING_USER_INPUT while a step is in progress (with a parameter)', 'login', { status: 'WAITING_USER_INPUT', parameter: PARAM }, /status/],
    ['UPDATING while executionStatus is WAITING_USER_INPUT', 'waiting', { status: 'UPDATING' }, /status/],
    ['OUTDATED for a LOGIN_ERROR outcome', 'loginError', { status: 'OUTDATED' }, /status/],
    ['LOGIN_ERROR for an OUTDATED outcome', 'outdated', { status: 'LOGIN_ERROR' }, /status/],
    ['UPDATED for an error outcome', 'outdated', { status: 'UPDATED', error: null }, /status/],
    ['missing error on an error outcome', 'outdated', { error: null }, /error missing/],
    ['missing error on a LOGIN_ERROR outcome', 'loginError', { error: null }, /error missing/],
    ['error while SUCCESS', 'success', { error: { code: 'UNEXPECTED_ERROR', message: 'Something broke.' } }, /error present/],
    ['error while UPDATING', 'accounts', { error: { code: 'UNEXPECTED_ERROR', message: 'Something broke.' } }, /error present/],
    ['error.code not matching the outcome', 'outdated', { error: { code: 'SITE_NOT_AVAILABLE', message: 'Down.' } }, /error\.code/],
    ['empty error.message', 'outdated', { error: { code: 'CONNECTION_ERROR', message: '' } }, /message/],
    ['parameter while UPDATING', 'login', { parameter: PARAM }, /parameter/],
    ['parameter after the execution finished', 'outdated', { parameter: PARAM }, /parameter/],
    ['WAITING_USER_INPUT without a parameter', 'waiting', { parameter: null }, /parameter/],
    ['userAction while UPDATING', 'login', { userAction: USER_ACTION }, /userAction/],
    ['userAction after SUCCESS', 'success', { userAction: USER_ACTION }, /userAction/],
    ['userAction after another error outcome', 'outdated', { userAction: USER_ACTION }, /userAction/],
    ['negative consecutiveFailedLoginAttempts', 'loginError', { consecutiveFailedLoginAttempts: -1 }, /consecutiveFailedLoginAttempts/],
  ]
  it.each(broken)('flags %s', (_name, at, patch, pattern) => {
    const state = { ...stateAt(at), ...patch }
    const violations = invariantViolations(state)
    expect(violations.length).toBeGreaterThan(0)
    expect(
      violations.some((v) => pattern.test(v)),
      violations.join('; '),
    ).toBe(true)
  })

  it('the ERROR outcome requires error.code UNEXPECTED_ERROR', () => {
    const { state } = drive([...PATHS.accounts, { type: 'WORKER_LOST' }])
    expect(state.error?.code).toBe('UNEXPECTED_ERROR')
    expect(invariantViolations(state)).toEqual([])
    expect(invariantViolations({ ...state, error: { code: 'ERROR', message: 'Broke.' } }).length).toBeGreaterThan(0)
  })
})
