/** The ACCOUNTS product: one checking account and one savings account. */
import type { CollectedAccount } from '../../sdk/index.ts'
import { SANDBOX_BANK_CODE } from './fixtures.ts'
import type { SandboxUser } from './sandbox-user.ts'

export function generateAccounts(user: SandboxUser): CollectedAccount[] {
  const p = user.profile
  const rng = user.rng('accounts')
  const checkingBalance = rng.money(1_500, 25_000)
  const savingsBalance = rng.money(3_000, 60_000)
  return [
    {
      providerId: user.checkingId,
      type: 'BANK',
      subtype: 'CHECKING_ACCOUNT',
      number: `${p.branch}/${p.checkingNumber}`,
      name: 'Conta Corrente',
      marketingName: 'Sandbox Conta Digital',
      balance: checkingBalance,
      currencyCode: 'BRL',
      owner: p.fullName,
      taxNumber: p.cpf,
      bankData: {
        transferNumber: `${SANDBOX_BANK_CODE}/${p.branch}/${p.checkingNumber}`,
        closingBalance: checkingBalance,
        automaticallyInvestedBalance: rng.money(0, 2_000),
        overdraftContractedLimit: 2_000,
        overdraftUsedLimit: 0,
        unarrangedOverdraftAmount: 0,
      },
    },
    {
      providerId: user.savingsId,
      type: 'BANK',
      subtype: 'SAVINGS_ACCOUNT',
      number: `${p.branch}/${p.savingsNumber}`,
      name: 'Conta Poupança',
      marketingName: 'Sandbox Poupança',
      balance: savingsBalance,
      currencyCode: 'BRL',
      owner: p.fullName,
      taxNumber: p.cpf,
      bankData: {
        transferNumber: `${SANDBOX_BANK_CODE}/${p.branch}/${p.savingsNumber}`,
        closingBalance: savingsBalance,
        automaticallyInvestedBalance: null,
        overdraftContractedLimit: null,
        overdraftUsedLimit: null,
        unarrangedOverdraftAmount: null,
      },
    },
  ]
}
