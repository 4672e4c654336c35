/**
 * The CREDIT_CARDS product: one Mastercard and its closed bills. The balance is what the holder
 * owes, positive (the reference's convention): unpaid bills plus the open cycle, pending
 * purchases included, as the ledger (ledger.ts) sums it.
 */
import type { CollectedAccount } from '../../sdk/index.ts'
import type { Ledger } from './ledger.ts'
import { round2 } from './money.ts'
import type { SandboxUser } from './sandbox-user.ts'

export function generateCreditCards(user: SandboxUser, ledger: Ledger): CollectedAccount[] {
  const p = user.profile
  const rng = user.rng('creditCards')
  const creditLimit = rng.int(5, 40) * 1_000
  const debt = ledger.balances.card.available
  const available = round2(creditLimit - debt)
  const { openCycle } = ledger
  return [
    {
      providerId: user.creditCardId,
      type: 'CREDIT',
      subtype: 'CREDIT_CARD',
      number: p.cardLast4,
      name: 'Mastercard Black',
      marketingName: 'SANDBOX BANK MASTERCARD BLACK',
      balance: debt,
      currencyCode: 'BRL',
      owner: user.holderName,
      taxNumber: user.holderDocument,
      creditData: {
        level: 'BLACK',
        brand: 'MASTERCARD',
        balanceCloseDate: user.iso(openCycle.close),
        balanceDueDate: user.iso(openCycle.due),
        availableCreditLimit: available,
        balanceForeignCurrency: openCycle.foreignUsd,
        minimumPayment: round2(openCycle.charged * 0.15),
        creditLimit,
        isLimitFlexible: false,
        status: 'ACTIVE',
        holderType: 'MAIN',
        disaggregatedCreditLimits: [
          {
            creditLineLimitType: 'LIMITE_CREDITO_TOTAL',
            consolidationType: 'CONSOLIDADO',
            identificationNumber: p.cardLast4,
            isLimitFlexible: false,
            lineName: 'CREDITO_A_VISTA',
            usedAmount: debt,
            usedAmountCurrencyCode: 'BRL',
            limitAmount: creditLimit,
            limitAmountCurrencyCode: 'BRL',
            availableAmount: available,
            availableAmountCurrencyCode: 'BRL',
          },
        ],
      },
      bills: ledger.bills,
    },
  ]
}
