/**
 * A custom sandbox user (SPEC §7.6): a JSON document that says what a sandbox institution holds
 * for one user name — accounts with their balances and transactions, investments, identity — and
 * how each execution of an item logged in with that name ends. Registered through the sandbox
 * control API (for one client) or read from TRIBUTARY_SANDBOX_USERS_FILE (for every client).
 * This is the document once validated, every default filled (src/services/sandbox-user-schema.ts).
 */
import type { FinalOutcome } from './statuses.ts'

export interface CustomSandboxTransaction {
  /** The institution's id (providerId). */
  id: string
  /** `YYYY-MM-DD`. */
  date: string
  description: string
  amount: number
  status: 'PENDING' | 'POSTED'
}

export interface CustomSandboxAccount {
  id: string
  type: 'BANK' | 'CREDIT'
  subtype: 'CHECKING_ACCOUNT' | 'SAVINGS_ACCOUNT' | 'CREDIT_CARD'
  name: string
  number: string
  balance: number
  currencyCode: string
  transactions: CustomSandboxTransaction[]
}

export interface CustomSandboxInvestment {
  id: string
  name: string
  type: 'MUTUAL_FUND' | 'SECURITY' | 'EQUITY' | 'COE' | 'FIXED_INCOME' | 'ETF' | 'OTHER'
  balance: number
  currencyCode: string
}

export interface CustomSandboxIdentity {
  fullName: string
  document: string | null
  birthDate: string | null
  emails: string[]
  phoneNumbers: string[]
}

export interface CustomSandboxUser {
  /** The `user` credential that chooses this user. */
  user: string
  /**
   * The password's SHA-256 (hex): a credential all the same, so the document keeps only its
   * digest, and the institution compares digests.
   */
  passwordSha256: string
  /** How the item's 1st, 2nd, … execution ends; the last one goes on for the later ones. */
  outcomes: FinalOutcome[]
  accounts: CustomSandboxAccount[]
  investments: CustomSandboxInvestment[]
  /** null: the institution's generated identity for the user name. */
  identity: CustomSandboxIdentity | null
}

/** A custom user's outcomes when its document gives none: every execution succeeds. */
export const DEFAULT_CUSTOM_OUTCOMES: readonly FinalOutcome[] = ['SUCCESS']

/** The outcome of an item's `execution`-th execution (1 on the first). */
export function customOutcomeOf(user: CustomSandboxUser, execution: number): FinalOutcome {
  return user.outcomes[Math.min(Math.max(execution, 1), user.outcomes.length) - 1]
}
