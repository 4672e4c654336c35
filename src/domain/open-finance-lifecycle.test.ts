import { describe, expect, it } from 'vitest'
import { isUpdatable, userAuthorizationAllowed } from './auto-sync.ts'
import { initialLifecycleState, invariantViolations, transition, type LifecycleEvent, type LifecycleState, type UserAction } from './lifecycle.ts'
import { USER_ACTION_MESSAGES } from './outcome-messages.ts'
import { ITEM_STATUSES, isRunningStatus } from './statuses.ts'

// The Open Finance flow (SPEC §7.5): the execution waits while the user is at the institution's
// own page, and resumes by itself when the institution sends the user back.

const ACTION: UserAction = {
  type: 'authorize-access',
  instructions: 'Authorize the access at the institution’s page.',
  expiresAt: '2030-01-01T00:10:00.000Z',
  attributes: { url: 'https://bank.example/authorize?state=s' },
}

function drive(events: LifecycleEvent[], from: LifecycleState = initialLifecycleState()) {
  let state = from
  const effects = []
  for (const event of events) {
    const result = transition(state, event)
    if (!result.ok) throw new Error(result.reason)
    expect(invariantViolations(result.next)).toEqual([])
    state = result.next
    effects.push(...result.effects)
  }
  return { state, effects }
}

const toWaiting: LifecycleEvent[] = [{ type: 'EXECUTION_CREATED' }, { type: 'STEP_STARTED', step: 'LOGIN_IN_PROGRESS' }, { type: 'USER_ACTION_REQUESTED', userAction: ACTION }]

describe('Open Finance: WAITING_USER_ACTION', () => {
  it('waits with the authorization page in userAction and emits item/waiting_user_action once', () => {
    const { state, effects } = drive(toWaiting)
    expect(state).toMatchObject({ status: 'WAITING_USER_ACTION', executionStatus: 'WAITING_USER_ACTION', userAction: ACTION, parameter: null, error: null })
    expect(effects).toEqual([{ type: 'EMIT', event: 'item/waiting_user_action' }])
    expect(isRunningStatus(state.status)).toBe(true)
  })

  it('the return from the institution resumes the second login step, then the products and the merge', () => {
    const { state, effects } = drive([
      ...toWaiting,
      { type: 'USER_ACTION_COMPLETED' },
      { type: 'STEP_STARTED', step: 'ACCOUNTS_IN_PROGRESS' },
      { type: 'STEP_STARTED', step: 'MERGING' },
      { type: 'MERGE_SUCCEEDED' },
    ])
    expect(state).toMatchObject({ status: 'UPDATED', executionStatus: 'SUCCESS', userAction: null })
    expect(effects.filter((e) => e.type === 'EMIT').map((e) => (e as { event: string }).event)).toEqual(['item/waiting_user_action', 'item/login_succeeded', 'item/updated'])
  })

  it('after the return the URL is gone (it is single-use)', () => {
    expect(drive([...toWaiting, { type: 'USER_ACTION_COMPLETED' }]).state).toMatchObject({ status: 'UPDATING', executionStatus: 'LOGIN_MFA_IN_PROGRESS', userAction: null })
  })

  it.each([
    ['USER_ACTION_DENIED', USER_ACTION_MESSAGES.denied],
    ['USER_ACTION_EXPIRED', USER_ACTION_MESSAGES.expired],
  ] as const)('%s ends OUTDATED/USER_AUTHORIZATION_NOT_GRANTED with its own sentence', (type, message) => {
    const { state, effects } = drive([...toWaiting, { type }])
    expect(state).toMatchObject({ status: 'OUTDATED', executionStatus: 'USER_AUTHORIZATION_NOT_GRANTED', userAction: null, error: { code: 'USER_AUTHORIZATION_NOT_GRANTED', message } })
    expect(effects).toContainEqual({ type: 'EXECUTION_FINISHED', outcome: 'USER_AUTHORIZATION_NOT_GRANTED' })
    expect(effects).toContainEqual({ type: 'EMIT', event: 'item/error' })
  })

  it('the institution refusing after the return is the connector’s outcome, from the second login step', () => {
    const { state } = drive([...toWaiting, { type: 'USER_ACTION_COMPLETED' }, { type: 'CONNECTOR_FAILED', outcome: 'SITE_NOT_AVAILABLE' }])
    expect(state).toMatchObject({ status: 'OUTDATED', executionStatus: 'SITE_NOT_AVAILABLE' })
  })

  it('a revoked consent ends a later sync as LOGIN_ERROR/USER_AUTHORIZATION_REVOKED', () => {
    const { state } = drive([{ type: 'EXECUTION_CREATED' }, { type: 'STEP_STARTED', step: 'LOGIN_IN_PROGRESS' }, { type: 'CONNECTOR_FAILED', outcome: 'USER_AUTHORIZATION_REVOKED' }])
    expect(state).toMatchObject({ status: 'LOGIN_ERROR', error: { code: 'USER_AUTHORIZATION_REVOKED' } })
  })

  it('cancellation, the deadline and a lost worker end a waiting execution as ERROR', () => {
    for (const type of ['CANCELLED', 'DEADLINE_EXCEEDED', 'WORKER_LOST'] as const) {
      expect(drive([...toWaiting, { type }]).state).toMatchObject({ status: 'OUTDATED', executionStatus: 'ERROR', userAction: null })
    }
  })

  it('is refused where it does not belong', () => {
    const waiting = drive(toWaiting).state
    const login = drive(toWaiting.slice(0, 2)).state
    const afterReturn = drive([...toWaiting, { type: 'USER_ACTION_COMPLETED' }]).state
    expect(transition(initialLifecycleState(), { type: 'USER_ACTION_REQUESTED', userAction: ACTION }).ok).toBe(false)
    expect(transition(waiting, { type: 'USER_ACTION_REQUESTED', userAction: ACTION }).ok).toBe(false)
    expect(transition(afterReturn, { type: 'USER_ACTION_REQUESTED', userAction: ACTION }).ok).toBe(false)
    for (const type of ['USER_ACTION_COMPLETED', 'USER_ACTION_DENIED', 'USER_ACTION_EXPIRED'] as const) {
      expect(transition(login, { type }).ok, type).toBe(false)
      expect(transition(afterReturn, { type }).ok, type).toBe(false)
    }
    // An MFA value is not an authorization, and the other way round.
    expect(transition(waiting, { type: 'MFA_SUBMITTED' }).ok).toBe(false)
    expect(transition(waiting, { type: 'MFA_TIMED_OUT' }).ok).toBe(false)
    expect(transition(waiting, { type: 'STEP_STARTED', step: 'ACCOUNTS_IN_PROGRESS' }).ok).toBe(false)
    expect(transition(waiting, { type: 'EXECUTION_CREATED' }).ok).toBe(false)
  })

  it('invariants: WAITING_USER_ACTION needs its userAction, and no parameter', () => {
    const waiting = drive(toWaiting).state
    expect(invariantViolations({ ...waiting, userAction: null })).toContain('WAITING_USER_ACTION without a userAction')
    expect(invariantViolations({ ...waiting, status: 'UPDATING' }).length).toBeGreaterThan(0)
    expect(invariantViolations({ ...waiting, parameter: { name: 'x', label: 'x', type: 'text', expiresAt: ACTION.expiresAt! } }).length).toBeGreaterThan(0)
  })
})

describe('Open Finance: updatability and who may send the user to the institution', () => {
  const traits = { hasOneStepMfa: false, hasMFA: false, trustsDevice: false, oauth: true, deviceTrusted: false }
  it('an Open Finance item is synced by the engine only after a success (a consent that holds)', () => {
    for (const status of ITEM_STATUSES) expect(isUpdatable({ ...traits, status }), status).toBe(status === 'UPDATED')
    // Other connectors keep SPEC §2.4 / §4a.13.
    expect(isUpdatable({ ...traits, oauth: false, status: 'OUTDATED' })).toBe(true)
  })
  it('only an execution someone asked for may send the user to the institution', () => {
    expect(userAuthorizationAllowed('CLIENT')).toBe(true)
    expect(userAuthorizationAllowed('USER')).toBe(true)
    expect(userAuthorizationAllowed('SYNC')).toBe(false)
    expect(userAuthorizationAllowed('INTERNAL')).toBe(false)
  })
})
