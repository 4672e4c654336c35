import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import {
  timelinePassedMfa,
  CONNECTOR_OUTCOMES,
  OUTCOME_MESSAGES,
  initialLifecycleState,
  invariantViolations,
  transition,
  type ConnectorOutcome,
  type Effect,
  type LifecycleEvent,
  type LifecycleEventType,
  type LifecycleState,
  type MfaParameter,
  type TransitionResult,
  type UserAction,
} from './lifecycle.ts'
import {
  EXECUTION_STATUSES,
  FINAL_OUTCOMES,
  PRODUCTS,
  PRODUCT_STEP,
  STEP_ORDER,
  isFinalOutcome,
  isStepStatus,
  type ExecutionStatus,
  type FinalOutcome,
  type ItemStatus,
  type Product,
  type StepStatus,
} from './statuses.ts'

// ---------------------------------------------------------------------------------------------
// Fixtures and helpers
// ---------------------------------------------------------------------------------------------

const PARAM: MfaParameter = {
  name: 'token',
  label: 'Código do token',
  type: 'number',
  placeholder: '123456',
  validation: '^\\d{6}$',
  validationMessage: 'O código deve ter 6 dígitos',
  assistiveText: 'Veja o código no app do banco',
  expiresAt: '2030-01-01T00:05:00.000Z',
}

const SECOND_PARAM: MfaParameter = {
  name: 'sms',
  label: 'Código SMS',
  type: 'text',
  expiresAt: '2030-01-01T00:10:00.000Z',
}

const OAUTH_ACTION: UserAction = {
  type: 'authorize-access',
  instructions: 'Authorize the access at the institution’s page.',
  expiresAt: '2030-01-01T00:10:00.000Z',
  attributes: { url: 'https://bank.example/authorize?state=abc' },
}

const USER_ACTION: UserAction = {
  type: 'qr',
  instructions: 'Open your bank app and approve the access request.',
  expiresAt: '2030-01-01T00:30:00.000Z',
}

const created: LifecycleEvent = { type: 'EXECUTION_CREATED' }
const step = (s: StepStatus): LifecycleEvent => ({ type: 'STEP_STARTED', step: s })
const login = step('LOGIN_IN_PROGRESS')
const mfaRequested = (parameter: MfaParameter = PARAM): LifecycleEvent => ({ type: 'MFA_REQUESTED', parameter })
const mfaSubmitted: LifecycleEvent = { type: 'MFA_SUBMITTED' }
const productFailed = (product: Product): LifecycleEvent => ({ type: 'PRODUCT_FAILED', product })
const connectorFailed = (outcome: ConnectorOutcome, providerMessage?: string, message?: string): LifecycleEvent => ({
  type: 'CONNECTOR_FAILED',
  outcome,
  ...(providerMessage !== undefined ? { providerMessage } : {}),
  ...(message !== undefined ? { message } : {}),
})

/** Applies the events in order from `from`; every one must be accepted. Returns the last result. */
function drive(events: readonly LifecycleEvent[], from: LifecycleState = initialLifecycleState()) {
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

function accepted(result: TransitionResult): { next: LifecycleState; effects: Effect[] } {
  if (!result.ok) throw new Error(`expected the transition to be accepted, refused: ${result.reason}`)
  return result
}

/** Compare effect lists regardless of order (the spec does not fix one). */
function sortEffects(effects: readonly Effect[]): string[] {
  return effects.map((e) => JSON.stringify(e)).sort()
}

const clone = <T>(v: T): T => structuredClone(v)

/** A "human sentence": starts with a capital letter, ends with punctuation. */
const SENTENCE = /^[A-Z][\s\S]*[.!?]$/

const PATHS = {
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
type PathName = keyof typeof PATHS
const stateAt = (name: PathName) => drive(PATHS[name]).state

// ---------------------------------------------------------------------------------------------
// 1. The final-status table (SPEC §2.2)
// ---------------------------------------------------------------------------------------------

/** SPEC §2.2, copied literally (not derived from the code under test). */
const SPEC_FINAL_TABLE: Record<FinalOutcome, { status: ItemStatus; code: string | null }> = {
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

interface FinalRow {
  name: string
  outcome: FinalOutcome
  events: LifecycleEvent[]
  providerMessage?: string
}

const PROVIDER_MESSAGE = 'Usuário ou senha inválidos (cód. 401)'

const FINAL_ROWS: FinalRow[] = [
  {
    name: 'full collection merged',
    outcome: 'SUCCESS',
    events: [
      created,
      login,
      step('ACCOUNTS_IN_PROGRESS'),
      step('CREDITCARDS_IN_PROGRESS'),
      step('TRANSACTIONS_IN_PROGRESS'),
      step('IDENTITY_IN_PROGRESS'),
      step('MERGING'),
      { type: 'MERGE_SUCCEEDED' },
    ],
  },
  {
    name: 'a product failed, then merged',
    outcome: 'PARTIAL_SUCCESS',
    events: [created, login, step('ACCOUNTS_IN_PROGRESS'), step('TRANSACTIONS_IN_PROGRESS'), productFailed('TRANSACTIONS'), step('IDENTITY_IN_PROGRESS'), step('MERGING'), { type: 'MERGE_SUCCEEDED' }],
  },
  {
    name: 'connector threw ERROR during a product step',
    outcome: 'ERROR',
    events: [created, login, step('ACCOUNTS_IN_PROGRESS'), connectorFailed('ERROR', 'NullPointerException')],
    providerMessage: 'NullPointerException',
  },
  {
    name: 'an unexpected error while merging, with what happened',
    outcome: 'ERROR',
    events: [created, login, step('ACCOUNTS_IN_PROGRESS'), step('MERGING'), { type: 'UNEXPECTED_ERROR', message: 'The progress of the execution could not be saved.' }],
  },
  {
    name: 'an unexpected error right after the execution was created, without a message of its own',
    outcome: 'ERROR',
    events: [created, { type: 'UNEXPECTED_ERROR' }],
  },
  ...(['CANCELLED', 'DEADLINE_EXCEEDED', 'WORKER_LOST'] as const).map(
    (type): FinalRow => ({
      name: `${type} during a product step`,
      outcome: 'ERROR',
      events: [created, login, step('ACCOUNTS_IN_PROGRESS'), step('TRANSACTIONS_IN_PROGRESS'), { type }],
    }),
  ),
  ...(['CANCELLED', 'DEADLINE_EXCEEDED', 'WORKER_LOST'] as const).map(
    (type): FinalRow => ({
      name: `${type} while waiting for the MFA value`,
      outcome: 'ERROR',
      events: [created, login, mfaRequested(), { type }],
    }),
  ),
  {
    name: 'merge transaction failed',
    outcome: 'MERGE_ERROR',
    events: [created, login, step('ACCOUNTS_IN_PROGRESS'), step('MERGING'), { type: 'MERGE_FAILED' }],
  },
  ...(['SITE_NOT_AVAILABLE', 'CONNECTION_ERROR', 'ALREADY_LOGGED_IN', 'ACCOUNT_NEEDS_ACTION'] as const).flatMap((outcome): FinalRow[] => [
    {
      name: `connector threw ${outcome} during login`,
      outcome,
      events: [created, login, connectorFailed(outcome, PROVIDER_MESSAGE)],
      providerMessage: PROVIDER_MESSAGE,
    },
    {
      name: `connector threw ${outcome} during a product step`,
      outcome,
      events: [created, login, step('ACCOUNTS_IN_PROGRESS'), step('TRANSACTIONS_IN_PROGRESS'), connectorFailed(outcome)],
    },
  ]),
  {
    name: 'MFA value did not arrive in time',
    outcome: 'USER_INPUT_TIMEOUT',
    events: [created, login, mfaRequested(), { type: 'MFA_TIMED_OUT' }],
  },
  {
    name: 'connector asks for device authorization',
    outcome: 'USER_AUTHORIZATION_PENDING',
    events: [created, login, { type: 'AUTHORIZATION_PENDING', userAction: USER_ACTION }],
  },
  {
    name: 'authorization deadline passed in a follow-up execution',
    outcome: 'USER_AUTHORIZATION_NOT_GRANTED',
    events: [created, login, { type: 'AUTHORIZATION_PENDING', userAction: USER_ACTION }, created, login, { type: 'AUTHORIZATION_DEADLINE_PASSED' }],
  },
  ...(['INVALID_CREDENTIALS', 'ACCOUNT_LOCKED', 'ACCOUNT_CREDENTIALS_RESET', 'USER_NOT_SUPPORTED', 'USER_AUTHORIZATION_REVOKED'] as const).map(
    (outcome): FinalRow => ({
      name: `connector threw ${outcome} during login`,
      outcome,
      events: [created, login, connectorFailed(outcome, PROVIDER_MESSAGE)],
      providerMessage: PROVIDER_MESSAGE,
    }),
  ),
  {
    name: 'wrong 2-step MFA value',
    outcome: 'INVALID_CREDENTIALS_MFA',
    events: [created, login, mfaRequested(), mfaSubmitted, connectorFailed('INVALID_CREDENTIALS_MFA', 'Código inválido')],
    providerMessage: 'Código inválido',
  },
  {
    name: 'wrong 1-step MFA value (sent with the credentials)',
    outcome: 'INVALID_CREDENTIALS_MFA',
    events: [created, login, connectorFailed('INVALID_CREDENTIALS_MFA')],
  },
]

describe('SPEC §2.2 final-status table', () => {
  it('the test table covers every final outcome, and the code knows exactly those outcomes', () => {
    expect(new Set(FINAL_ROWS.map((r) => r.outcome))).toEqual(new Set(Object.keys(SPEC_FINAL_TABLE)))
    expect([...FINAL_OUTCOMES].sort()).toEqual(Object.keys(SPEC_FINAL_TABLE).sort())
  })

  it.each(FINAL_ROWS)('$name → $outcome', ({ outcome, events, providerMessage }) => {
    const expected = SPEC_FINAL_TABLE[outcome]
    const { state, effects } = drive(events)

    expect(state.status).toBe(expected.status)
    expect(state.executionStatus).toBe(outcome)
    expect(state.parameter).toBeNull()
    expect(invariantViolations(state)).toEqual([])

    if (expected.code === null) {
      expect(state.error).toBeNull()
    } else {
      expect(state.error).not.toBeNull()
      expect(state.error!.code).toBe(expected.code)
      expect(state.error!.message).toMatch(SENTENCE)
      if (providerMessage !== undefined) expect(state.error!.providerMessage).toBe(providerMessage)
      else expect(state.error!).not.toHaveProperty('providerMessage')
    }

    if (outcome === 'USER_AUTHORIZATION_PENDING') expect(state.userAction).toEqual(USER_ACTION)
    else expect(state.userAction).toBeNull()

    const expectedEffects: Effect[] = [
      { type: 'EXECUTION_FINISHED', outcome },
      { type: 'EMIT', event: expected.code === null ? 'item/updated' : 'item/error' },
    ]
    expect(sortEffects(effects)).toEqual(sortEffects(expectedEffects))
  })

  it.each(CONNECTOR_OUTCOMES.map((o) => [o]))('CONNECTOR_FAILED %s keeps the connector’s own message when it gives one', (outcome) => {
    const message = 'The bank asked for a new password on its website.'
    const { state } = drive([created, login, connectorFailed(outcome, undefined, message)])
    expect(state.error?.message).toBe(message)
  })

  it('every error outcome has a default message that is a human sentence', () => {
    for (const [outcome, message] of Object.entries(OUTCOME_MESSAGES)) {
      expect(message, outcome).toMatch(SENTENCE)
    }
  })

  it('CANCELLED, DEADLINE_EXCEEDED and WORKER_LOST give distinct messages', () => {
    const messages = (['CANCELLED', 'DEADLINE_EXCEEDED', 'WORKER_LOST'] as const).map((type) => drive([...PATHS.accounts, { type }]).state.error?.message)
    expect(new Set(messages).size).toBe(3)
  })

  it('a new execution clears error, parameter and userAction and keeps the login-failure count (SPEC §4a.1)', () => {
    for (const name of ['loginError', 'outdated', 'pending', 'success'] as const) {
      const before = stateAt(name)
      const { next, effects } = accepted(transition(before, created))
      expect(next).toEqual({
        status: 'UPDATING',
        executionStatus: 'CREATED',
        error: null,
        parameter: null,
        userAction: null,
        consecutiveFailedLoginAttempts: before.consecutiveFailedLoginAttempts,
        failedProducts: [],
      })
      expect(effects).toEqual([])
    }
  })

  it('failed products of the previous execution do not make the next one partial', () => {
    const partial = drive(FINAL_ROWS.find((r) => r.outcome === 'PARTIAL_SUCCESS')!.events).state
    expect(partial.executionStatus).toBe('PARTIAL_SUCCESS')
    const { state } = drive(PATHS.success, partial)
    expect(state.executionStatus).toBe('SUCCESS')
  })
})

// ---------------------------------------------------------------------------------------------
// 2. The three login flows (SPEC §2.3) and consecutiveFailedLoginAttempts (SPEC §4a.13)
// ---------------------------------------------------------------------------------------------

const LOGIN_ERROR_CONNECTOR_OUTCOMES = CONNECTOR_OUTCOMES.filter((o) => SPEC_FINAL_TABLE[o].status === 'LOGIN_ERROR')
const OUTDATED_CONNECTOR_OUTCOMES = CONNECTOR_OUTCOMES.filter((o) => SPEC_FINAL_TABLE[o].status === 'OUTDATED')

/** An item whose last two executions ended LOGIN_ERROR (consecutiveFailedLoginAttempts = 2). */
function twiceFailed(): LifecycleState {
  const { state } = drive([...PATHS.loginError, ...PATHS.loginError])
  expect(state.consecutiveFailedLoginAttempts).toBe(2)
  return state
}

const emitted = (effects: readonly Effect[], event: string) => effects.filter((e) => e.type === 'EMIT' && e.event === event).length

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

// ---------------------------------------------------------------------------------------------
// 3. Illegal transitions
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// 3b. Systematic: every reachable state × every event
// ---------------------------------------------------------------------------------------------

const ALL_EVENT_TYPES: LifecycleEventType[] = [
  'EXECUTION_CREATED',
  'STEP_STARTED',
  'PRODUCT_FAILED',
  'MFA_REQUESTED',
  'MFA_SUBMITTED',
  'MFA_TIMED_OUT',
  'AUTHORIZATION_PENDING',
  'AUTHORIZATION_DEADLINE_PASSED',
  'USER_ACTION_REQUESTED',
  'USER_ACTION_COMPLETED',
  'USER_ACTION_DENIED',
  'USER_ACTION_EXPIRED',
  'CONNECTOR_FAILED',
  'MERGE_SUCCEEDED',
  'MERGE_FAILED',
  'CANCELLED',
  'DEADLINE_EXCEEDED',
  'WORKER_LOST',
  'UNEXPECTED_ERROR',
]

/** A finite set of events with every type and every step/product/outcome payload. */
const SAMPLE_EVENTS: LifecycleEvent[] = ALL_EVENT_TYPES.flatMap((type): LifecycleEvent[] => {
  switch (type) {
    case 'STEP_STARTED':
      return STEP_ORDER.map(step)
    case 'PRODUCT_FAILED':
      return PRODUCTS.map(productFailed)
    case 'MFA_REQUESTED':
      return [mfaRequested()]
    case 'AUTHORIZATION_PENDING':
      return [{ type, userAction: USER_ACTION }]
    case 'USER_ACTION_REQUESTED':
      return [{ type, userAction: OAUTH_ACTION }]
    case 'CONNECTOR_FAILED':
      return [...CONNECTOR_OUTCOMES.map((o) => connectorFailed(o)), connectorFailed('CONNECTION_ERROR', 'Timeout', 'The bank timed out.')]
    case 'UNEXPECTED_ERROR':
      return [{ type }, { type, message: 'The connector returned data the engine cannot read.' }]
    default:
      return [{ type } as LifecycleEvent]
  }
})

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

const isFinished = (s: LifecycleState) => isFinalOutcome(s.executionStatus)
const LOGIN_STEP_NAMES: ExecutionStatus[] = ['LOGIN_IN_PROGRESS', 'LOGIN_MFA_IN_PROGRESS']

/** Checks one transition against the rules that hold for every state and event. */
function checkTransition(prev: LifecycleState, event: LifecycleEvent): LifecycleState {
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

describe('systematic: every reachable state × every event', () => {
  it('refusals change nothing; acceptances keep the invariants, move forward and emit consistent effects', () => {
    const seen = new Map<string, LifecycleState>()
    const queue: LifecycleState[] = [initialLifecycleState()]
    seen.set(JSON.stringify(queue[0]), queue[0]!)
    const reachedStatuses = new Set<ExecutionStatus>()
    const acceptedTypes = new Set<LifecycleEventType>()
    const refusedTypes = new Set<LifecycleEventType>()
    let transitions = 0

    while (queue.length > 0) {
      const state = queue.shift()!
      reachedStatuses.add(state.executionStatus)
      expect(invariantViolations(state)).toEqual([])
      for (const event of SAMPLE_EVENTS) {
        transitions++
        const next = checkTransition(state, event)
        if (next === state) {
          refusedTypes.add(event.type)
          continue
        }
        acceptedTypes.add(event.type)
        // Bound the walk: the failure count and the set of failed products are unbounded / combinatorial.
        if (next.consecutiveFailedLoginAttempts > 2 || next.failedProducts.length > 2) continue
        const key = JSON.stringify(next)
        if (!seen.has(key)) {
          seen.set(key, next)
          queue.push(next)
        }
      }
    }

    // The walk really covers the lifecycle: every execution status is reached, every event type both accepted and refused.
    expect([...reachedStatuses].sort()).toEqual([...EXECUTION_STATUSES].sort())
    expect([...acceptedTypes].sort()).toEqual([...ALL_EVENT_TYPES].sort())
    expect([...refusedTypes].sort()).toEqual([...ALL_EVENT_TYPES].sort())
    expect(seen.size).toBeGreaterThan(100)
    expect(transitions).toBeGreaterThan(seen.size)
  })
})

// ---------------------------------------------------------------------------------------------
// 4. invariantViolations catches broken states
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// An empty connector message falls back to the outcome's sentence
// ---------------------------------------------------------------------------------------------

describe('connector messages', () => {
  // SPEC §2.2: error.message is a human sentence, and the invariants hold at every instant.
  it.each(['', '   '])('CONNECTOR_FAILED with an empty message %j still yields a valid state with a non-empty message', (message) => {
    const { next } = accepted(transition(stateAt('login'), connectorFailed('INVALID_CREDENTIALS', undefined, message)))
    expect(invariantViolations(next)).toEqual([])
    expect(next.error?.message).toMatch(SENTENCE)
  })
})

// ---------------------------------------------------------------------------------------------
// 5. Property: random event sequences
// ---------------------------------------------------------------------------------------------

const stepArb = fc.constantFrom(...STEP_ORDER)
const productArb = fc.constantFrom(...PRODUCTS)
const outcomeArb = fc.constantFrom(...CONNECTOR_OUTCOMES)
const isoArb = fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }).map((ms) => new Date(ms).toISOString())
const parameterArb: fc.Arbitrary<MfaParameter> = fc.record(
  {
    name: fc.constantFrom('token', 'sms', 'otp'),
    label: fc.string({ minLength: 1, maxLength: 20 }),
    type: fc.constantFrom('text', 'password', 'number', 'image', 'select'),
    placeholder: fc.string({ maxLength: 10 }),
    data: fc.string({ maxLength: 30 }),
    options: fc.array(fc.record({ value: fc.string({ maxLength: 5 }), label: fc.string({ maxLength: 10 }) }), { maxLength: 3 }),
    expiresAt: isoArb,
  },
  { requiredKeys: ['name', 'label', 'type', 'expiresAt'] },
)
const userActionArb: fc.Arbitrary<UserAction> = fc.record({
  type: fc.constantFrom('qr', 'app', 'redirect'),
  instructions: fc.string({ minLength: 1, maxLength: 40 }),
  expiresAt: fc.option(isoArb, { nil: null }),
})
// Non-empty connector messages only: the empty-message case is the known bug pinned above.
const messageArb = fc.option(fc.constantFrom('Senha incorreta.', 'The bank is in maintenance.', 'Conta bloqueada.'), { nil: undefined })
const providerMessageArb = fc.option(fc.string({ maxLength: 30 }), { nil: undefined })

// Weighted towards the events that move an execution forward, so that random sequences also reach
// the late steps and the success outcomes; every event type is still generated.
const eventArb: fc.Arbitrary<LifecycleEvent> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<LifecycleEvent>({ type: 'EXECUTION_CREATED' }) },
  { weight: 16, arbitrary: stepArb.map((s): LifecycleEvent => ({ type: 'STEP_STARTED', step: s })) },
  { weight: 3, arbitrary: productArb.map((p): LifecycleEvent => ({ type: 'PRODUCT_FAILED', product: p })) },
  { weight: 2, arbitrary: parameterArb.map((parameter): LifecycleEvent => ({ type: 'MFA_REQUESTED', parameter })) },
  { weight: 2, arbitrary: fc.constant<LifecycleEvent>({ type: 'MFA_SUBMITTED' }) },
  { weight: 1, arbitrary: fc.constant<LifecycleEvent>({ type: 'MFA_TIMED_OUT' }) },
  { weight: 1, arbitrary: userActionArb.map((userAction): LifecycleEvent => ({ type: 'AUTHORIZATION_PENDING', userAction })) },
  { weight: 1, arbitrary: fc.constant<LifecycleEvent>({ type: 'AUTHORIZATION_DEADLINE_PASSED' }) },
  { weight: 2, arbitrary: userActionArb.map((userAction): LifecycleEvent => ({ type: 'USER_ACTION_REQUESTED', userAction })) },
  { weight: 2, arbitrary: fc.constant<LifecycleEvent>({ type: 'USER_ACTION_COMPLETED' }) },
  { weight: 1, arbitrary: fc.constant<LifecycleEvent>({ type: 'USER_ACTION_DENIED' }) },
  { weight: 1, arbitrary: fc.constant<LifecycleEvent>({ type: 'USER_ACTION_EXPIRED' }) },
  {
    weight: 2,
    arbitrary: fc.tuple(outcomeArb, messageArb, providerMessageArb).map(([outcome, message, providerMessage]): LifecycleEvent => connectorFailed(outcome, providerMessage, message)),
  },
  { weight: 2, arbitrary: fc.constant<LifecycleEvent>({ type: 'MERGE_SUCCEEDED' }) },
  { weight: 1, arbitrary: fc.constant<LifecycleEvent>({ type: 'MERGE_FAILED' }) },
  { weight: 1, arbitrary: fc.constant<LifecycleEvent>({ type: 'CANCELLED' }) },
  { weight: 1, arbitrary: fc.constant<LifecycleEvent>({ type: 'DEADLINE_EXCEEDED' }) },
  { weight: 1, arbitrary: fc.constant<LifecycleEvent>({ type: 'WORKER_LOST' }) },
  { weight: 1, arbitrary: messageArb.map((message): LifecycleEvent => ({ type: 'UNEXPECTED_ERROR', message })) },
)

// Sequences are built from chunks: mostly single arbitrary events, sometimes a short plausible
// fragment (start + login, a product step followed by that product's failure, merge, an MFA
// round trip), so that the late steps and PARTIAL_SUCCESS are reached too; cut to 40 events.
const chunkArb: fc.Arbitrary<LifecycleEvent[]> = fc.oneof(
  { weight: 12, arbitrary: eventArb.map((e) => [e]) },
  { weight: 1, arbitrary: fc.constant<LifecycleEvent[]>([created, login]) },
  { weight: 1, arbitrary: productArb.map((p): LifecycleEvent[] => [step(PRODUCT_STEP[p]), productFailed(p)]) },
  { weight: 1, arbitrary: fc.constant<LifecycleEvent[]>([step('MERGING'), { type: 'MERGE_SUCCEEDED' }]) },
  { weight: 1, arbitrary: parameterArb.map((parameter): LifecycleEvent[] => [{ type: 'MFA_REQUESTED', parameter }, mfaSubmitted]) },
  { weight: 1, arbitrary: userActionArb.map((userAction): LifecycleEvent[] => [{ type: 'USER_ACTION_REQUESTED', userAction }, { type: 'USER_ACTION_COMPLETED' }]) },
)
const sequenceArb = fc.array(chunkArb, { maxLength: 40, size: 'max' }).map((chunks) => chunks.flat().slice(0, 40))

describe('property: random event sequences', () => {
  it('keep the invariants, move forward within an execution, and freeze finished executions', () => {
    const reached = new Set<ExecutionStatus>()
    fc.assert(
      fc.property(sequenceArb, (events) => {
        let state = initialLifecycleState()
        for (const event of events) {
          const prev = state
          state = checkTransition(prev, event)
          expect(invariantViolations(state)).toEqual([])
          if (isFinished(prev) && event.type !== 'EXECUTION_CREATED') expect(state).toBe(prev)
          if (event.type === 'MFA_REQUESTED' && state !== prev) expect(state.parameter).toEqual(event.parameter)
          if (event.type === 'USER_ACTION_REQUESTED' && state !== prev) expect(state.userAction).toEqual(event.userAction)
          if (event.type === 'CONNECTOR_FAILED' && state !== prev) {
            expect(state.executionStatus).toBe(event.outcome)
            if (event.providerMessage) expect(state.error?.providerMessage).toBe(event.providerMessage)
            if (event.message) expect(state.error?.message).toBe(event.message)
          }
          if (event.type === 'UNEXPECTED_ERROR' && state !== prev) {
            expect(state.executionStatus).toBe('ERROR')
            if (event.message?.trim()) expect(state.error?.message).toBe(event.message)
          }
          reached.add(state.executionStatus)
        }
      }),
      { seed: 42, numRuns: 2000 },
    )
    // The generator is not so weak that it never leaves the first steps.
    for (const s of ['WAITING_USER_INPUT', 'WAITING_USER_ACTION', 'USER_AUTHORIZATION_NOT_GRANTED', 'LOGIN_MFA_IN_PROGRESS', 'MERGING', 'SUCCESS', 'PARTIAL_SUCCESS', 'INVALID_CREDENTIALS'] as const) {
      expect(reached.has(s), s).toBe(true)
    }
  })
})

describe('timelinePassedMfa (what a run that takes an execution over is told)', () => {
  it('is true only when a step after LOGIN_MFA_IN_PROGRESS was reached', () => {
    expect(timelinePassedMfa(['CREATED', 'LOGIN_IN_PROGRESS', 'WAITING_USER_INPUT', 'LOGIN_MFA_IN_PROGRESS', 'ACCOUNTS_IN_PROGRESS'])).toBe(true)
    expect(timelinePassedMfa(['CREATED', 'LOGIN_IN_PROGRESS', 'WAITING_USER_INPUT', 'LOGIN_MFA_IN_PROGRESS'])).toBe(false)
    expect(timelinePassedMfa(['CREATED', 'LOGIN_IN_PROGRESS', 'ACCOUNTS_IN_PROGRESS'])).toBe(false)
  })
})
