import type pino from 'pino'
import { SANDBOX_OPEN_FINANCE_CONNECTOR_ID } from '../connectors/sandbox/sandbox-open-finance.ts'
import type { App } from '../http/http-types.ts'
import type { Database } from '../store/database.ts'
import { accountMovements } from '../store/payments/payment-execution.ts'
import type { Clock } from '../time/clock.ts'
import { SandboxPayerBank } from './payer-bank.ts'
import { registerPayerBankRoutes } from './payer-bank-routes.ts'

/**
 * Serves the sandbox payer bank, whose consents and payments are kept in the database. Its balances are what Tributary's ledger says left each account
 * (the debits of settled payments); when the payer answers on its page the intent's job is woken.
 */
export async function registerPayerBank(app: App, deps: { db: Database; clock: Clock; logger: pino.Logger; wake: (intentId: string) => Promise<void> }): Promise<SandboxPayerBank> {
  const bank = new SandboxPayerBank({
    db: deps.db.pool,
    clock: deps.clock,
    debitedCents: async (accountId) => (await accountMovements(deps.db.pool, SANDBOX_OPEN_FINANCE_CONNECTOR_ID, accountId, 'DEBIT_PAYER', 1)).totalCents,
    settledDebits: async (accountId) =>
      (await accountMovements(deps.db.pool, SANDBOX_OPEN_FINANCE_CONNECTOR_ID, accountId, 'DEBIT_PAYER', 500)).rows.map((m) => ({ id: m.id, amountCents: m.amountCents, at: m.at })),
    onChange: (reference) => void deps.wake(reference).catch((error) => deps.logger.warn({ err: error }, 'the payment the sandbox bank changed could not be woken')),
  })
  await registerPayerBankRoutes(app, bank)
  return bank
}
