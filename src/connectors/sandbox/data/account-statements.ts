/**
 * The ACCOUNT_STATEMENTS product: the months the institution has a statement for, per bank
 * account — the three months before the current one, since the account was opened. The sandbox
 * hands out no PDF: Tributary renders each statement from the stored transactions.
 */
import type { CollectedAccountStatement } from '../../sdk/index.ts'
import { monthStart } from './calendar.ts'
import { accountOpening } from './ledger.ts'
import type { SandboxUser } from './sandbox-user.ts'

export const STATEMENT_MONTHS = 3

/** `accountProviderIds`, when given, keeps only those accounts' statements (the card has none). */
export function generateAccountStatements(user: SandboxUser, accountProviderIds?: ReadonlySet<string>): CollectedAccountStatement[] {
  const opened = accountOpening(user).day
  const out: CollectedAccountStatement[] = []
  for (const accountProviderId of [user.checkingId, user.savingsId]) {
    if (accountProviderIds && !accountProviderIds.has(accountProviderId)) continue
    for (let back = 1; back <= STATEMENT_MONTHS; back++) {
      const start = monthStart(user.today, back)
      // A month the account was open at its end.
      if (monthStart(user.today, back - 1) - 1 < opened) continue
      out.push({ accountProviderId, month: user.iso(start).slice(0, 7) })
    }
  }
  return out
}
