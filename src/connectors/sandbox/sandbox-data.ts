/**
 * Deterministic data for the sandbox institutions (SPEC §4): a user's data on one day, product by
 * product. The data is a pure function of (user, day, multiplier); see data/sandbox-user.ts for
 * the terms (seed, day, stream) and data/transaction-schedule.ts for how it moves with time.
 *
 * Each product has a generator of its own in data/. Adding a product takes a generator there with
 * a new stream number in data/sandbox-user.ts, a method here, its kept copy in
 * sandbox-data-cache.ts and its fetch in sandbox-connectors.ts.
 */
import type {
  CollectedAccount,
  CollectedIdentity,
  CollectedInvestment,
  CollectedInvestmentTransaction,
  CollectedOpportunity,
  CollectedPaymentData,
  CollectedTransaction,
} from '../sdk/index.ts'
import { generateAccounts } from './data/accounts.ts'
import { generateCreditCards } from './data/credit-cards.ts'
import { generateIdentity } from './data/identity.ts'
import { generateInvestmentTransactions } from './data/investment-transactions.ts'
import { generateInvestments } from './data/investments.ts'
import { generateOpportunities } from './data/opportunities.ts'
import { generatePaymentData } from './data/payment-data.ts'
import { SandboxUser, type SandboxDataOptions } from './data/sandbox-user.ts'
import { generateTransactions } from './data/transactions.ts'

// What the engine's tests read of the data's rhythm, through the module they already import.
export { dayNumber } from './data/calendar.ts'
export { PENDING_DAYS, SLOT_EVERY } from './data/transaction-schedule.ts'

/** Everything a sandbox user has, one entry per product. */
export interface SandboxDataSet {
  accounts: CollectedAccount[]
  creditCards: CollectedAccount[]
  transactions: CollectedTransaction[]
  investments: CollectedInvestment[]
  investmentTransactions: CollectedInvestmentTransaction[]
  paymentData: CollectedPaymentData[]
  identity: CollectedIdentity
  opportunities: CollectedOpportunity[]
}

/**
 * The sandbox data of one user on one day. Each product is computed on demand (a connector
 * step asks only for its own product), and the same inputs always give deep-equal output.
 */
export class SandboxData {
  private readonly user: SandboxUser

  constructor(options: SandboxDataOptions) {
    this.user = new SandboxUser(options)
  }

  get checkingId(): string {
    return this.user.checkingId
  }
  get savingsId(): string {
    return this.user.savingsId
  }
  get creditCardId(): string {
    return this.user.creditCardId
  }

  /** Bank accounts: one checking account and one savings account. */
  accounts(): CollectedAccount[] {
    return generateAccounts(this.user)
  }

  /** Credit-card accounts: one Mastercard. */
  creditCards(): CollectedAccount[] {
    return generateCreditCards(this.user)
  }

  /** Transactions of the last 90 days, newest first; `accountProviderIds` keeps only those accounts'. */
  transactions(accountProviderIds?: ReadonlySet<string>): CollectedTransaction[] {
    return generateTransactions(this.user, accountProviderIds)
  }

  investments(): CollectedInvestment[] {
    return generateInvestments(this.user)
  }

  /** Movements of the positions; `investmentProviderIds` keeps only those positions'. */
  investmentTransactions(investmentProviderIds?: ReadonlySet<string>): CollectedInvestmentTransaction[] {
    return generateInvestmentTransactions(this.user, investmentProviderIds)
  }

  /** Payment data of the given transactions that are transfers or bill payments. */
  paymentData(transactions: readonly CollectedTransaction[]): CollectedPaymentData[] {
    return generatePaymentData(transactions)
  }

  identity(): CollectedIdentity {
    return generateIdentity(this.user)
  }

  opportunities(): CollectedOpportunity[] {
    return generateOpportunities(this.user)
  }

  /** Every product at once. */
  all(): SandboxDataSet {
    const transactions = this.transactions()
    return {
      accounts: this.accounts(),
      creditCards: this.creditCards(),
      transactions,
      investments: this.investments(),
      investmentTransactions: this.investmentTransactions(),
      paymentData: this.paymentData(transactions),
      identity: this.identity(),
      opportunities: this.opportunities(),
    }
  }
}

/** The sandbox data of one user on one day (see {@link SandboxData}). */
export function createSandboxData(options: SandboxDataOptions): SandboxData {
  return new SandboxData(options)
}

/** Every product of one user on one day, at once. */
export function generateSandboxData(options: SandboxDataOptions): SandboxDataSet {
  return new SandboxData(options).all()
}
