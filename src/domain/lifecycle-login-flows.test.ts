import { describe, it, expect } from 'vitest'
import { CONNECTOR_OUTCOMES, invariantViolations, transition, type LifecycleEvent, type LifecycleState } from './lifecycle.ts'
import { STEP_ORDER } from './statuses.ts'
import {
  PARAM,
  SECOND_PARAM,
  USER_ACTION,
  created,
  step,
  login,
  mfaRequested,
  mfaSubmitted,
  connectorFailed,
  drive,
  accepted,
  PATHS,
  SPEC_FINAL_TABLE,
  LOGIN_ERROR_CONNECTOR_OUTCOMES,
  emitted,
} from './lifecycle-test-support.ts'

// The three login flows (SPEC §2.3) and consecutiveFailedLoginAttempts (SPEC §4a.13).

const OUTDATED_CONNECTOR_OUTCOMES = CONNECTOR_OUTCOMES.filter((o) => SPEC_FINAL_TABLE[o].status === 'OUTDATED')

/** An item whose last two executions ended LOGIN_ERROR (consecutiveFailedLoginAttempts = 2). */
function twiceFailed(): LifecycleState {
  const { state } = drive([...PATHS.loginError, ...PATHS.loginError])
  expect(state.consecutiveFailedLoginAttempts).toBe(2)
  return state
}

describe('login flows (SPEC §2.3)', () => {
  it('no MFA: login → products → merge; item/login_succeeded once, exactly when login is left', () => {
    const { state, allEffects } = drive([created, login, step('ACCOUNTS_IN_PROGRESS'), step('TRANSACTIONS_IN_PROGRESS'), step('MERGING'), { type: 'MERGE_SUCCEEDED' }], twiceFailed())
    expect(allEffects.map((effects) => emitted(effects, 'item/login_succeeded'))).toEqual([0, 0, 1, 0, 0, 0])
    expect(state.status).toBe('UPDATED')
    expect(state.consecutiveFailedLoginAttempts).toBe(0)
  })

  it('no MFA: the count is reset at the moment login is left, not only at the end', () => {
    const { state } = drive([created, login], twiceFailed())
    expect(state.consecutiveFailedLoginAttempts).toBe(2)
    const { next } = accepted(transition(state, step('ACCOUNTS_IN_PROGRESS')))
    expect(next.consecutiveFailedLoginAttempts).toBe(0)
  })

  it('no MFA: wrong credentials → LOGIN_ERROR/INVALID_CREDENTIALS', () => {
    const { state } = drive(PATHS.loginError)
    expect(state.status).toBe('LOGIN_ERROR')
    expect(state.executionStatus).toBe('INVALID_CREDENTIALS')
    expect(state.error?.code).toBe('INVALID_CREDENTIALS')
  })

  it.each(STEP_ORDER.filter((s) => STEP_ORDER.indexOf(s) > STEP_ORDER.indexOf('LOGIN_MFA_IN_PROGRESS')).map((s) => [s]))(
    'leaving LOGIN_IN_PROGRESS for %s emits item/login_succeeded and resets the count',
    (target) => {
      const { state } = drive([created, login], twiceFailed())
      const { next, effects } = accepted(transition(state, step(target)))
      expect(effects).toEqual([{ type: 'EMIT', event: 'item/login_succeeded' }])
      expect(next.consecutiveFailedLoginAttempts).toBe(0)
      expect(next.executionStatus).toBe(target)
    },
  )

  it('steps that do not leave login emit no item/login_succeeded', () => {
    const base = twiceFailed()
    const cases: [LifecycleEvent[], LifecycleEvent][] = [
      [[created], login],
      [[created, login, step('ACCOUNTS_IN_PROGRESS')], step('TRANSACTIONS_IN_PROGRESS')],
      [[created, login, step('ACCOUNTS_IN_PROGRESS')], step('MERGING')],
    ]
    for (const [path, event] of cases) {
      const { state } = drive(path, base)
      const { effects } = accepted(transition(state, event))
      expect(emitted(effects, 'item/login_succeeded'), JSON.stringify(event)).toBe(0)
    }
  })

  it('2-step MFA: waits with the parameter, resumes in LOGIN_MFA_IN_PROGRESS, then collects', () => {
    const { state: loggingIn } = drive([created, login], twiceFailed())

    const waiting = accepted(transition(loggingIn, mfaRequested()))
    expect(waiting.next.status).toBe('WAITING_USER_INPUT')
    expect(waiting.next.executionStatus).toBe('WAITING_USER_INPUT')
    expect(waiting.next.parameter).toEqual(PARAM)
    expect(waiting.next.error).toBeNull()
    expect(waiting.effects).toEqual([{ type: 'EMIT', event: 'item/waiting_user_input' }])
    expect(invariantViolations(waiting.next)).toEqual([])

    const resumed = accepted(transition(waiting.next, mfaSubmitted))
    expect(resumed.next.status).toBe('UPDATING')
    expect(resumed.next.executionStatus).toBe('LOGIN_MFA_IN_PROGRESS')
    expect(resumed.next.parameter).toBeNull()
    expect(emitted(resumed.effects, 'item/login_succeeded')).toBe(0)
    expect(resumed.next.consecutiveFailedLoginAttempts).toBe(2)
    expect(invariantViolations(resumed.next)).toEqual([])

    const collecting = accepted(transition(resumed.next, step('ACCOUNTS_IN_PROGRESS')))
    expect(collecting.effects).toEqual([{ type: 'EMIT', event: 'item/login_succeeded' }])
    expect(collecting.next.consecutiveFailedLoginAttempts).toBe(0)

    const { state } = drive([step('MERGING'), { type: 'MERGE_SUCCEEDED' }], collecting.next)
    expect(state.status).toBe('UPDATED')
    expect(state.executionStatus).toBe('SUCCESS')
  })

  it('the first successful finish of an item emits item/created instead of item/updated; a later one item/updated (SPEC §7.1)', () => {
    const merging = drive([{ type: 'EXECUTION_CREATED' }, step('LOGIN_IN_PROGRESS'), step('ACCOUNTS_IN_PROGRESS'), step('MERGING')]).state
    const first = accepted(transition(merging, { type: 'MERGE_SUCCEEDED', firstConnection: true }))
    expect(first.effects.filter((e) => e.type === 'EMIT')).toEqual([{ type: 'EMIT', event: 'item/created' }])
    const later = accepted(transition(merging, { type: 'MERGE_SUCCEEDED', firstConnection: false }))
    expect(later.effects.filter((e) => e.type === 'EMIT')).toEqual([{ type: 'EMIT', event: 'item/updated' }])
    // A failure is an error whether or not the item ever connected: never item/created.
    const failed = accepted(transition(merging, { type: 'MERGE_FAILED' }))
    expect(failed.effects.filter((e) => e.type === 'EMIT')).toEqual([{ type: 'EMIT', event: 'item/error' }])
  })

  it('2-step MFA: a second challenge from LOGIN_MFA_IN_PROGRESS is allowed (SPEC §4a.2)', () => {
    const { state } = drive(PATHS.loginMfa)
    const again = accepted(transition(state, mfaRequested(SECOND_PARAM)))
    expect(again.next.status).toBe('WAITING_USER_INPUT')
    expect(again.next.executionStatus).toBe('WAITING_USER_INPUT')
    expect(again.next.parameter).toEqual(SECOND_PARAM)
    expect(again.effects).toEqual([{ type: 'EMIT', event: 'item/waiting_user_input' }])
    const { state: done } = drive([mfaSubmitted, step('MERGING'), { type: 'MERGE_SUCCEEDED' }], again.next)
    expect(done.executionStatus).toBe('SUCCESS')
  })

  it('2-step MFA: wrong code → LOGIN_ERROR/INVALID_CREDENTIALS_MFA and the count goes up', () => {
    const { state, effects } = drive([created, login, mfaRequested(), mfaSubmitted, connectorFailed('INVALID_CREDENTIALS_MFA')], twiceFailed())
    expect(state.status).toBe('LOGIN_ERROR')
    expect(state.executionStatus).toBe('INVALID_CREDENTIALS_MFA')
    expect(state.error?.code).toBe('INVALID_CREDENTIALS_MFA')
    expect(state.parameter).toBeNull()
    expect(state.consecutiveFailedLoginAttempts).toBe(3)
    expect(emitted(effects, 'item/error')).toBe(1)
  })

  it('2-step MFA: no value in time → OUTDATED/USER_INPUT_TIMEOUT and the parameter is cleared', () => {
    const { state } = drive([created, login, mfaRequested(), { type: 'MFA_TIMED_OUT' }])
    expect(state.status).toBe('OUTDATED')
    expect(state.executionStatus).toBe('USER_INPUT_TIMEOUT')
    expect(state.parameter).toBeNull()
  })

  it.each(LOGIN_ERROR_CONNECTOR_OUTCOMES.map((o) => [o]))('%s (a LOGIN_ERROR outcome) increments the count', (outcome) => {
    const { state } = drive([created, login, connectorFailed(outcome)], twiceFailed())
    expect(state.status).toBe('LOGIN_ERROR')
    expect(state.consecutiveFailedLoginAttempts).toBe(3)
  })

  const KEEPING: [string, LifecycleEvent[]][] = [
    ...OUTDATED_CONNECTOR_OUTCOMES.map((o): [string, LifecycleEvent[]] => [`CONNECTOR_FAILED ${o}`, [connectorFailed(o)]]),
    ['MFA_TIMED_OUT', [mfaRequested(), { type: 'MFA_TIMED_OUT' }]],
    ['AUTHORIZATION_PENDING', [{ type: 'AUTHORIZATION_PENDING', userAction: USER_ACTION }]],
    ['AUTHORIZATION_DEADLINE_PASSED', [{ type: 'AUTHORIZATION_DEADLINE_PASSED' }]],
    ['CANCELLED', [{ type: 'CANCELLED' }]],
    ['DEADLINE_EXCEEDED', [{ type: 'DEADLINE_EXCEEDED' }]],
    ['WORKER_LOST', [mfaRequested(), { type: 'WORKER_LOST' }]],
  ]
  it.each(KEEPING)('%s during login (an OUTDATED outcome) keeps the count', (_name, tail) => {
    const { state } = drive([created, login, ...tail], twiceFailed())
    expect(state.status).toBe('OUTDATED')
    expect(state.consecutiveFailedLoginAttempts).toBe(2)
  })
})
