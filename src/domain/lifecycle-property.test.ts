import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { CONNECTOR_OUTCOMES, initialLifecycleState, invariantViolations, type LifecycleEvent, type MfaParameter, type UserAction } from './lifecycle.ts'
import { PRODUCTS, PRODUCT_STEP, STEP_ORDER, type ExecutionStatus } from './statuses.ts'
import { created, step, login, mfaSubmitted, productFailed, connectorFailed, isFinished, checkTransition } from './lifecycle-test-support.ts'

// Property: random event sequences.

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
// Non-empty connector messages only: the empty-message case is the known bug pinned in lifecycle-final-status.test.ts ('connector messages').
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
