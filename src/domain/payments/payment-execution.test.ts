import { describe, expect, it } from 'vitest'
import { BANK_PAYMENT_STATUSES, intentBankStep, nextSettlementEvent } from './payment-execution.ts'
import { SETTLEMENT_STATUSES, settlementStep, type SettlementStatus } from './settlement.ts'

describe('following the bank’s payment status a step at a time', () => {
  it('walks from an authorized consent to the status the bank reports, one saved step at a time, never past it', () => {
    const reached: Record<string, string> = {}
    for (const bank of BANK_PAYMENT_STATUSES) {
      let status: SettlementStatus | 'PAYMENT_COMPLETED' | 'PAYMENT_REJECTED' = 'CONSENT_AUTHORIZED'
      for (let steps = 0; steps < 10 && (SETTLEMENT_STATUSES as readonly string[]).includes(status); steps++) {
        const event = nextSettlementEvent(status as SettlementStatus, { status: bank })
        if (!event) break
        const step = settlementStep(status as SettlementStatus, event, 100)
        expect(step.ok, `${bank}: ${event.type} from ${status}`).toBe(true)
        if (step.ok) status = step.status
      }
      reached[bank] = status
    }
    expect(reached).toEqual({
      RCVD: 'PAYMENT_PENDING',
      PDNG: 'PAYMENT_PENDING',
      PATC: 'PAYMENT_PARTIALLY_ACCEPTED',
      ACCP: 'PAYMENT_SETTLEMENT_PROCESSING',
      ACPD: 'PAYMENT_SETTLEMENT_PROCESSING',
      ACSC: 'PAYMENT_SETTLEMENT_DEBTOR_ACCOUNT',
      ACCC: 'PAYMENT_COMPLETED',
      RJCT: 'PAYMENT_REJECTED',
    })
  })

  it('asks the bank what each intent status needs', () => {
    expect(intentBankStep('STARTED', 'PAYMENT')).toBe('CREATE_CONSENT')
    expect(intentBankStep('CONSENT_AWAITING_AUTHORIZATION', 'PAYMENT')).toBe('READ_CONSENT')
    expect(intentBankStep('CONSENT_AUTHORIZED', 'SCHEDULE')).toBe('CONFIRM_CONSENT')
    expect(intentBankStep('CONSENT_AUTHORIZED', 'PAYMENT')).toBe('FOLLOW_SETTLEMENT')
    expect(intentBankStep('PAYMENT_COMPLETED', 'PAYMENT')).toBe('NONE')
  })
})
