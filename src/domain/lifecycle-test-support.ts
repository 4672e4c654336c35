// Fixtures and helpers shared by the lifecycle's tests (lifecycle-*.test.ts): events, the states
// reached along named paths, the SPEC §2.2 table, and the check every transition must pass.

import { expect } from 'vitest'
import {
  CONNECTOR_OUTCOMES,
  initialLifecycleState,
  invariantViolations,
  transition,
  type ConnectorOutcome,
  type Effect,
  type LifecycleEvent,
  type LifecycleState,
  type MfaParameter,
  type TransitionResult,
  type UserAction,
} from './lifecycle.ts'
import { STEP_ORDER, isFinalOutcome, isStepStatus, type ExecutionStatus, type FinalOutcome, type ItemStatus, type Product, type StepStatus } from './statuses.ts'

export const PARAM: MfaParameter = {
  name: 'token',
  label: 'Código do token',
  type: 'number',
  placeholder: '123456',
  validation: '^\\d{6}$',
  validationMessage: 'O código deve ter 6 dígitos',
  assistiveText: 'Veja o código no app do banco',
  expiresAt: '2030-01-01T00:05:00.000Z',
}

export const SECOND_PARAM: MfaParameter = {
  name: 'sms',
  label: 'Código SMS',
  type: 'text',
  expiresAt: '2030-01-01T00:10:00.000Z',
}

export const USER_ACTION: UserAction = {
  type: 'qr',
  instructions: 'Open your bank app and approve the access request.',
  expiresAt: '2030-01-01T00:30:00.000Z',
}

export const created: LifecycleEvent = { type: 'EXECUTION_CREATED' }
export const step = (s: StepStatus): LifecycleEvent => ({ type: 'STEP_STARTED', step: s })
export const login = step('LOGIN_IN_PROGRESS')
export const mfaRequested = (parameter: MfaParameter = PARAM): LifecycleEvent => ({ type: 'MFA_REQUESTED', parameter })
export const mfaSubmitted: LifecycleEvent = { type: 'MFA_SUBMITTED' }
export const productFailed = (product: Product): LifecycleEvent => ({ type: 'PRODUCT_FAILED', product })
export const connectorFailed = (outcome: ConnectorOutcome, providerMessage?: string, message?: string): LifecycleEvent => ({
  type: 'CONNECTOR_FAILED',
  outcome,
  ...(providerMessage !== undefined ? { providerMessage } : {}),
  ...(message !== undefined ? { message } : {}),
})

/** Applies the events in order from `from`; every one must be accepted. Returns the last result. */
export function drive(events: readonly LifecycleEvent[], from: LifecycleState = initialLifecycleState()) {
  let state = from
  let effects: Effect[] = []
  const allEffects: Effect[][] = []
  for (const [i, event] of events.entries()) {
    const result = transition(state, event)
    if (!result.ok) {
      throw new Error(`event #${i} ${JSON.stringify(event)} refused from ${state.status}/${state.executionStatus}: ${result.reason}`)
    }
    expect(invariantViolations(result.next), `after event #${i} ${event.type}`).toEqual([])
    state = result.next
    effects = result.effects
    allEffects.push(result.effects)
  }
  return { state, effects, allEffects }
}

export function accepted(result: TransitionResult): { next: LifecycleState; effects: Effect[] } {
  if (!result.ok) throw new Error(`expected the transition to be accepted, refused: ${result.reason}`)
  return result
}

export const clone = <T>(v: T): T => structuredClone(v)

export const PATHS = {
  created: [created],
  login: [created, login],
  waiting: [created, login, mfaRequested()],
  loginMfa: [created, login, mfaRequested(), mfaSubmitted],
  accounts: [created, login, step('ACCOUNTS_IN_PROGRESS')],
  transactions: [created, login, step('ACCOUNTS_IN_PROGRESS'), step('TRANSACTIONS_IN_PROGRESS')],
  opportunities: [created, login, step('ACCOUNTS_IN_PROGRESS'), step('OPPORTUNITIES_IN_PROGRESS')],
  merging: [created, login, step('ACCOUNTS_IN_PROGRESS'), step('TRANSACTIONS_IN_PROGRESS'), step('MERGING')],
  success: [created, login, step('ACCOUNTS_IN_PROGRESS'), step('MERGING'), { type: 'MERGE_SUCCEEDED' }],
  loginError: [created, login, connectorFailed('INVALID_CREDENTIALS')],
  outdated: [created, login, connectorFailed('CONNECTION_ERROR')],
  pending: [created, login, { type: 'AUTHORIZATION_PENDING', userAction: USER_ACTION }],
} satisfies Record<string, LifecycleEvent[]>
export type PathName = keyof typeof PATHS
export const stateAt = (name: PathName) => drive(PATHS[name]).state

/** SPEC §2.2, copied literally (not derived from the code under test). */
export const SPEC_FINAL_TABLE: Record<FinalOutcome, { status: ItemStatus; code: string | null }> = {
  SUCCESS: { status: 'UPDATED', code: null },
  PARTIAL_SUCCESS: { status: 'UPDATED', code: null },
  ERROR: { status: 'OUTDATED', code: 'UNEXPECTED_ERROR' },
  MERGE_ERROR: { status: 'OUTDATED', code: 'MERGE_ERROR' },
  SITE_NOT_AVAILABLE: { status: 'OUTDATED', code: 'SITE_NOT_AVAILABLE' },
  CONNECTION_ERROR: { status: 'OUTDATED', code: 'CONNECTION_ERROR' },
  ALREADY_LOGGED_IN: { status: 'OUTDATED', code: 'ALREADY_LOGGED_IN' },
  ACCOUNT_NEEDS_ACTION: { status: 'OUTDATED', code: 'ACCOUNT_NEEDS_ACTION' },
  USER_INPUT_TIMEOUT: { status: 'OUTDATED', code: 'USER_INPUT_TIMEOUT' },
  USER_AUTHORIZATION_PENDING: { status: 'OUTDATED', code: 'USER_AUTHORIZATION_PENDING' },
  USER_AUTHORIZATION_NOT_GRANTED: { status: 'OUTDATED', code: 'USER_AUTHORIZATION_NOT_GRANTED' },
  INVALID_CREDENTIALS: { status: 'LOGIN_ERROR', code: 'INVALID_CREDENTIALS' },
  INVALID_CREDENTIALS_MFA: { status: 'LOGIN_ERROR', code: 'INVALID_CREDENTIALS_MFA' },
  ACCOUNT_LOCKED: { status: 'LOGIN_ERROR', code: 'ACCOUNT_LOCKED' },
  ACCOUNT_CREDENTIALS_RESET: { status: 'LOGIN_ERROR', code: 'ACCOUNT_CREDENTIALS_RESET' },
  USER_NOT_SUPPORTED: { status: 'LOGIN_ERROR', code: 'USER_NOT_SUPPORTED' },
  USER_AUTHORIZATION_REVOKED: { status: 'LOGIN_ERROR', code: 'USER_AUTHORIZATION_REVOKED' },
}

export const LOGIN_ERROR_CONNECTOR_OUTCOMES = CONNECTOR_OUTCOMES.filter((o) => SPEC_FINAL_TABLE[o].status === 'LOGIN_ERROR')

export const emitted = (effects: readonly Effect[], event: string) => effects.filter((e) => e.type === 'EMIT' && e.event === event).length

/** Position of an execution status along one execution (both waits sit between the two login steps). */
function rank(status: ExecutionStatus): number {
  if (isStepStatus(status)) return STEP_ORDER.indexOf(status)
  if (status === 'WAITING_USER_INPUT' || status === 'WAITING_USER_ACTION') return STEP_ORDER.indexOf('LOGIN_IN_PROGRESS') + 0.5
  return 1000
}

function movesForward(prev: LifecycleState, next: LifecycleState): boolean {
  if (prev.executionStatus === next.executionStatus) return true
  if (prev.executionStatus === 'LOGIN_MFA_IN_PROGRESS' && next.executionStatus === 'WAITING_USER_INPUT') return true
  return rank(next.executionStatus) > rank(prev.executionStatus)
}

export const isFinished = (s: LifecycleState) => isFinalOutcome(s.executionStatus)
const LOGIN_STEP_NAMES: ExecutionStatus[] = ['LOGIN_IN_PROGRESS', 'LOGIN_MFA_IN_PROGRESS']

/** Checks one transition against the rules that hold for every state and event. */
export function checkTransition(prev: LifecycleState, event: LifecycleEvent): LifecycleState {
  const snapshot = clone(prev)
  const result = transition(prev, event)
  expect(prev, 'the input state is never mutated').toEqual(snapshot)
  if (!result.ok) {
    expect(result.reason.length).toBeGreaterThan(0)
    return prev
  }
  const { next, effects } = result
  const where = `${prev.status}/${prev.executionStatus} + ${JSON.stringify(event)} → ${next.status}/${next.executionStatus}`
  expect(invariantViolations(next), where).toEqual([])

  if (event.type === 'EXECUTION_CREATED') {
    expect(isFinished(prev), where).toBe(true)
    expect(next.executionStatus, where).toBe('CREATED')
  } else {
    expect(isFinished(prev), `${where}: a finished execution changes only through EXECUTION_CREATED`).toBe(false)
    expect(movesForward(prev, next), `${where}: moves only forward`).toBe(true)
  }

  // EXECUTION_FINISHED exactly when the execution ends, with its outcome.
  const finished = effects.filter((e) => e.type === 'EXECUTION_FINISHED')
  if (isFinished(next) && !isFinished(prev)) {
    expect(finished, where).toEqual([{ type: 'EXECUTION_FINISHED', outcome: next.executionStatus }])
    expect(emitted(effects, next.error ? 'item/error' : 'item/updated'), where).toBe(1)
  } else {
    expect(finished, where).toEqual([])
  }
  // item/login_succeeded exactly when leaving login for a product step or MERGING.
  const leftLogin = LOGIN_STEP_NAMES.includes(prev.executionStatus) && isStepStatus(next.executionStatus) && rank(next.executionStatus) > rank('LOGIN_MFA_IN_PROGRESS')
  expect(emitted(effects, 'item/login_succeeded'), where).toBe(leftLogin ? 1 : 0)
  if (leftLogin) expect(next.consecutiveFailedLoginAttempts, where).toBe(0)
  else if (next.status === 'LOGIN_ERROR' && !isFinished(prev)) expect(next.consecutiveFailedLoginAttempts, where).toBe(prev.consecutiveFailedLoginAttempts + 1)
  else expect(next.consecutiveFailedLoginAttempts, where).toBe(prev.consecutiveFailedLoginAttempts)
  // item/waiting_user_input exactly when the execution starts waiting.
  expect(emitted(effects, 'item/waiting_user_input'), where).toBe(next.status === 'WAITING_USER_INPUT' && prev.status !== 'WAITING_USER_INPUT' ? 1 : 0)
  // item/waiting_user_action exactly when the execution starts waiting at the institution's page.
  expect(emitted(effects, 'item/waiting_user_action'), where).toBe(next.status === 'WAITING_USER_ACTION' && prev.status !== 'WAITING_USER_ACTION' ? 1 : 0)
  // The authorization page's URL is shown only while the user is expected there.
  if (next.status === 'WAITING_USER_ACTION') expect(next.userAction, where).not.toBeNull()
  return next
}
