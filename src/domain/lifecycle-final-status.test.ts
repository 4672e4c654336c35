import { describe, it, expect } from 'vitest'
import { CONNECTOR_OUTCOMES, OUTCOME_MESSAGES, invariantViolations, transition, type Effect, type LifecycleEvent } from './lifecycle.ts'
import { FINAL_OUTCOMES, type FinalOutcome } from './statuses.ts'
import { USER_ACTION, created, step, login, mfaRequested, mfaSubmitted, productFailed, connectorFailed, drive, accepted, PATHS, stateAt, SPEC_FINAL_TABLE } from './lifecycle-test-support.ts'

// The final-status table (SPEC §2.2), and the messages of error outcomes.

/** Compare effect lists regardless of order (the spec does not fix one). */
function sortEffects(effects: readonly Effect[]): string[] {
  return effects.map((e) => JSON.stringify(e)).sort()
}

/** A "human sentence": starts with a capital letter, ends with punctuation. */
const SENTENCE = /^[A-Z][\s\S]*[.!?]$/

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
