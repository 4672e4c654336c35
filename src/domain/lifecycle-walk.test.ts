import { describe, it, expect } from 'vitest'
import { CONNECTOR_OUTCOMES, initialLifecycleState, invariantViolations, type LifecycleEvent, type LifecycleEventType, type LifecycleState, type UserAction } from './lifecycle.ts'
import { EXECUTION_STATUSES, PRODUCTS, STEP_ORDER, type ExecutionStatus } from './statuses.ts'
import { USER_ACTION, step, mfaRequested, productFailed, connectorFailed, checkTransition } from './lifecycle-test-support.ts'

// Systematic: every reachable state × every event.

const OAUTH_ACTION: UserAction = {
  type: 'authorize-access',
  instructions: 'Authorize the access at the institution’s page.',
  expiresAt: '2030-01-01T00:10:00.000Z',
  attributes: { url: 'https://bank.example/authorize?state=abc' },
}

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
