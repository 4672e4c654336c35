import { describe, expect, it } from 'vitest'
import { CONNECTOR_OUTCOMES } from './lifecycle.ts'
import { FORCEABLE_OUTCOMES, forcedOutcomeProblem, instructionsFor, planOutcome, sandboxTime, type ItemControl } from './sandbox-control.ts'

const forced = (executionStatus: (typeof FORCEABLE_OUTCOMES)[number]) => ({ executionStatus, failingProducts: [], providerMessage: null })

describe('sandbox control rules', () => {
  it('has a plan for every final status, refusing at login exactly the outcomes a connector may throw', () => {
    for (const status of FORCEABLE_OUTCOMES) {
      const plan = planOutcome(forced(status))
      expect(plan.kind === 'refuse', status).toBe((CONNECTOR_OUTCOMES as readonly string[]).includes(status))
    }
    expect(planOutcome(forced('PARTIAL_SUCCESS'))).toEqual({ kind: 'fail-products', products: ['CREDIT_CARDS'] })
    expect(planOutcome({ ...forced('PARTIAL_SUCCESS'), failingProducts: ['IDENTITY'] })).toEqual({ kind: 'fail-products', products: ['IDENTITY'] })
  })

  it('refuses failing products without a partial success, and a once USER_AUTHORIZATION_NOT_GRANTED', () => {
    expect(forcedOutcomeProblem({ executionStatus: 'SUCCESS', failingProducts: ['IDENTITY'], once: true })?.field).toBe('failingProducts')
    expect(forcedOutcomeProblem({ executionStatus: 'USER_AUTHORIZATION_NOT_GRANTED', failingProducts: [], once: true })?.field).toBe('once')
    expect(forcedOutcomeProblem({ executionStatus: 'USER_AUTHORIZATION_NOT_GRANTED', failingProducts: [], once: false })).toBeNull()
    expect(forcedOutcomeProblem({ executionStatus: 'PARTIAL_SUCCESS', failingProducts: ['IDENTITY'], once: true })).toBeNull()
  })

  it('applies a once outcome to the execution that took it only, a lasting one to every execution, a login reset while the credentials stay', () => {
    const once: ItemControl = { outcome: forced('ERROR'), once: true, takenBy: 'e1', loginResetFor: null }
    expect(instructionsFor(once, 'e1', 'c')?.outcome?.executionStatus).toBe('ERROR')
    expect(instructionsFor(once, 'e2', 'c')).toBeNull()
    expect(instructionsFor({ ...once, once: false }, 'e2', 'c')?.outcome?.executionStatus).toBe('ERROR')
    const reset: ItemControl = { outcome: null, once: true, takenBy: null, loginResetFor: 'c1' }
    expect(instructionsFor(reset, 'e1', 'c1')).toEqual({ outcome: null, loginReset: true, transactionEdits: [], clockAdvances: [], outage: null, customUser: null })
    expect(instructionsFor(reset, 'e1', 'c2')).toBeNull()
    expect(instructionsFor(null, 'e1', 'c1')).toBeNull()
  })

  it('sees an instant shifted by every clock advance made up to it, so the past keeps its dates', () => {
    const advances = [
      { at: '2026-03-01T00:00:00.000Z', seconds: 86_400 },
      { at: '2026-03-05T00:00:00.000Z', seconds: 3_600 },
    ]
    expect(sandboxTime(new Date('2026-02-28T12:00:00.000Z'), advances).toISOString()).toBe('2026-02-28T12:00:00.000Z')
    expect(sandboxTime(new Date('2026-03-01T00:00:00.000Z'), advances).toISOString()).toBe('2026-03-02T00:00:00.000Z')
    expect(sandboxTime(new Date('2026-03-06T00:00:00.000Z'), advances).toISOString()).toBe('2026-03-07T01:00:00.000Z')
    expect(sandboxTime(new Date('2026-03-06T00:00:00.000Z'), [])).toEqual(new Date('2026-03-06T00:00:00.000Z'))
  })
})
