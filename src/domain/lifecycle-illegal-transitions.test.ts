import { describe, it, expect } from 'vitest'
import { transition, type LifecycleEvent } from './lifecycle.ts'
import {
  SECOND_PARAM,
  USER_ACTION,
  created,
  step,
  login,
  mfaRequested,
  mfaSubmitted,
  productFailed,
  connectorFailed,
  drive,
  clone,
  PATHS,
  type PathName,
  stateAt,
  LOGIN_ERROR_CONNECTOR_OUTCOMES,
} from './lifecycle-test-support.ts'

// Illegal transitions are refused and change nothing.

type IllegalCase = [description: string, at: PathName, event: LifecycleEvent]

const FINISHED_PATHS = ['success', 'loginError', 'outdated', 'pending'] as const
const RUNNING_PATHS = ['created', 'login', 'waiting', 'loginMfa', 'accounts', 'transactions', 'merging'] as const

const ILLEGAL: IllegalCase[] = [
  ...RUNNING_PATHS.map((at): IllegalCase => ['EXECUTION_CREATED while running', at, created]),
  ['STEP_STARTED backwards', 'transactions', step('ACCOUNTS_IN_PROGRESS')],
  ['STEP_STARTED backwards', 'merging', step('OPPORTUNITIES_IN_PROGRESS')],
  ['STEP_STARTED backwards to login', 'accounts', login],
  ['STEP_STARTED to the same step', 'login', login],
  ['STEP_STARTED to the same step', 'accounts', step('ACCOUNTS_IN_PROGRESS')],
  ['STEP_STARTED to the same step', 'merging', step('MERGING')],
  ['STEP_STARTED to CREATED', 'created', step('CREATED')],
  ['STEP_STARTED to CREATED', 'login', step('CREATED')],
  ['STEP_STARTED to LOGIN_MFA_IN_PROGRESS (only an MFA value enters it)', 'login', step('LOGIN_MFA_IN_PROGRESS')],
  ['STEP_STARTED skipping LOGIN', 'created', step('ACCOUNTS_IN_PROGRESS')],
  ['STEP_STARTED skipping LOGIN', 'created', step('MERGING')],
  ['STEP_STARTED while waiting for input', 'waiting', step('ACCOUNTS_IN_PROGRESS')],
  ['STEP_STARTED while waiting for input', 'waiting', step('LOGIN_MFA_IN_PROGRESS')],
  ...FINISHED_PATHS.map((at): IllegalCase => ['STEP_STARTED on a finished execution', at, step('MERGING')]),
  ['MFA_SUBMITTED when not waiting', 'login', mfaSubmitted],
  ['MFA_SUBMITTED when not waiting', 'loginMfa', mfaSubmitted],
  ['MFA_SUBMITTED when not waiting', 'success', mfaSubmitted],
  ['MFA_TIMED_OUT when not waiting', 'login', { type: 'MFA_TIMED_OUT' }],
  ['MFA_TIMED_OUT when not waiting', 'outdated', { type: 'MFA_TIMED_OUT' }],
  ['MFA_REQUESTED outside login steps', 'created', mfaRequested()],
  ['MFA_REQUESTED outside login steps', 'accounts', mfaRequested()],
  ['MFA_REQUESTED outside login steps', 'merging', mfaRequested()],
  ['MFA_REQUESTED while already waiting', 'waiting', mfaRequested(SECOND_PARAM)],
  ['MFA_REQUESTED on a finished execution', 'loginError', mfaRequested()],
  ...LOGIN_ERROR_CONNECTOR_OUTCOMES.flatMap((o): IllegalCase[] => [
    [`CONNECTOR_FAILED ${o} after login finished`, 'accounts', connectorFailed(o)],
    [`CONNECTOR_FAILED ${o} after login finished`, 'opportunities', connectorFailed(o)],
  ]),
  ['CONNECTOR_FAILED during MERGING', 'merging', connectorFailed('CONNECTION_ERROR')],
  ['CONNECTOR_FAILED during MERGING', 'merging', connectorFailed('ERROR')],
  ['CONNECTOR_FAILED while CREATED', 'created', connectorFailed('SITE_NOT_AVAILABLE')],
  ['CONNECTOR_FAILED while CREATED', 'created', connectorFailed('INVALID_CREDENTIALS')],
  ...FINISHED_PATHS.map((at): IllegalCase => ['CONNECTOR_FAILED on a finished execution', at, connectorFailed('ERROR')]),
  ...(['MERGE_SUCCEEDED', 'MERGE_FAILED'] as const).flatMap((type): IllegalCase[] => [
    [`${type} outside MERGING`, 'login', { type }],
    [`${type} outside MERGING`, 'waiting', { type }],
    [`${type} outside MERGING`, 'opportunities', { type }],
    [`${type} outside MERGING`, 'success', { type }],
  ]),
  ['PRODUCT_FAILED outside its step', 'transactions', productFailed('ACCOUNTS')],
  ['PRODUCT_FAILED outside its step', 'accounts', productFailed('TRANSACTIONS')],
  ['PRODUCT_FAILED outside its step', 'login', productFailed('ACCOUNTS')],
  ['PRODUCT_FAILED outside its step', 'merging', productFailed('TRANSACTIONS')],
  ['PRODUCT_FAILED on a finished execution', 'success', productFailed('ACCOUNTS')],
  ...(['AUTHORIZATION_PENDING', 'AUTHORIZATION_DEADLINE_PASSED'] as const).flatMap((type): IllegalCase[] => {
    const event: LifecycleEvent = type === 'AUTHORIZATION_PENDING' ? { type, userAction: USER_ACTION } : { type }
    return [
      [`${type} outside login steps`, 'created', event],
      [`${type} outside login steps`, 'accounts', event],
      [`${type} while waiting for input`, 'waiting', event],
      [`${type} on a finished execution`, 'pending', event],
    ]
  }),
  ...(['CANCELLED', 'WORKER_LOST', 'DEADLINE_EXCEEDED', 'UNEXPECTED_ERROR'] as const).flatMap((type) => FINISHED_PATHS.map((at): IllegalCase => [`${type} on a finished item`, at, { type }])),
]

describe('illegal transitions are refused', () => {
  it.each(ILLEGAL)('%s (at %s): %j', (_description, at, event) => {
    const state = stateAt(at)
    const snapshot = clone(state)
    const result = transition(state, event)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(typeof result.reason).toBe('string')
    expect(result.reason.length).toBeGreaterThan(0)
    expect(result).not.toHaveProperty('next')
    expect(state).toEqual(snapshot)
  })

  it('PRODUCT_FAILED twice for the same product in one execution is refused', () => {
    const { state } = drive([...PATHS.transactions, productFailed('TRANSACTIONS')])
    expect(transition(state, productFailed('TRANSACTIONS')).ok).toBe(false)
  })
})
