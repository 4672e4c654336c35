/**
 * The ACCOUNTS product: a checking account (with a savings goal set aside, a "caixinha") and a
 * savings account. Balances are the ledger's (ledger.ts): `balance` is the available balance,
 * pending movements included; `closingBalance` the booked one, without them.
 */
import type { CollectedAccount } from '../../sdk/index.ts'
import type { Ledger } from './ledger.ts'
import { round2 } from './money.ts'
import { SANDBOX_BANK_CODE } from './fixtures.ts'
import type { SandboxUser } from './sandbox-user.ts'

export function generateAccounts(user: SandboxUser, ledger: Ledger): CollectedAccount[] {
  const p = user.profile
  const rng = user.rng('accounts')
  const { checking, savings } = ledger.balances
  const overdraftLimit = p.company ? 10_000 : 2_000
  const used = Math.max(0, -checking.booked)
  const reserve = rng.money(200, 8_000)
  const owner = { owner: user.holderName, taxNumber: user.holderDocument }
  return [
    {
      providerId: user.checkingId,
      type: 'BANK',
      subtype: 'CHECKING_ACCOUNT',
      number: `${p.branch}/${p.checkingNumber}`,
      name: p.company ? 'Conta Corrente PJ' : 'Conta Corrente',
      marketingName: p.company ? 'Sandbox Conta Empresas' : user.joint ? 'Sandbox Conta Conjunta' : 'Sandbox Conta Digital',
      balance: checking.available,
      currencyCode: 'BRL',
      ...owner,
      bankData: {
        transferNumber: `${SANDBOX_BANK_CODE}/${p.branch}/${p.checkingNumber}`,
        closingBalance: checking.booked,
        automaticallyInvestedBalance: rng.money(0, 2_000),
        overdraftContractedLimit: overdraftLimit,
        overdraftUsedLimit: round2(Math.min(used, overdraftLimit)),
        unarrangedOverdraftAmount: round2(Math.max(0, used - overdraftLimit)),
        hasReservedBalance: true,
        reservedBalances: [
          {
            name: 'Caixinha Viagem',
            identification: `${user.idPrefix}-reserve-1`,
            availableAmounts: [
              {
                amount: reserve,
                currencyCode: 'BRL',
                remuneration: {
                  preFixedRate: null,
                  postFixedIndexerPercentage: 1,
                  rateType: 'LINEAR',
                  indexer: 'CDI',
                  calculation: 'DIAS_UTEIS',
                  ratePeriodicity: 'ANUAL',
                  indexerAdditionalInfo: null,
                },
              },
            ],
          },
        ],
      },
    },
    {
      providerId: user.savingsId,
      type: 'BANK',
      subtype: 'SAVINGS_ACCOUNT',
      number: `${p.branch}/${p.savingsNumber}`,
      name: 'Conta Poupança',
      marketingName: 'Sandbox Poupança',
      balance: savings.available,
      currencyCode: 'BRL',
      ...owner,
      bankData: {
        transferNumber: `${SANDBOX_BANK_CODE}/${p.branch}/${p.savingsNumber}`,
        closingBalance: savings.booked,
        automaticallyInvestedBalance: null,
        overdraftContractedLimit: null,
        overdraftUsedLimit: null,
        unarrangedOverdraftAmount: null,
        hasReservedBalance: false,
        reservedBalances: null,
      },
    },
  ]
}
