/**
 * Deterministic data for the sandbox institutions (SPEC §4): a user's data on one day, after a
 * number of executions of their item, product by product. The data is a pure function of (user,
 * day, generation, multiplier, kind); see data/sandbox-user.ts for the terms (seed, day, stream,
 * generation), data/ledger.ts for the books the accounts and transactions come from, and
 * data/transaction-schedule.ts and data/live-activity.ts for how they move.
 *
 * Each product has a generator of its own in data/. Adding a product takes a generator there with
 * a new stream number in data/sandbox-user.ts, a method here, its kept copy in
 * sandbox-data-cache.ts and its fetch in sandbox-connectors.ts.
 */
import type {
  CollectedAccount,
  CollectedAccountStatement,
  CollectedIdentity,
  CollectedInvestment,
  CollectedInvestmentTransaction,
  CollectedLoan,
  CollectedOpportunity,
  CollectedPaymentData,
  CollectedTransaction,
} from '../sdk/index.ts'
import { generateAccountStatements } from './data/account-statements.ts'
import { generateAccounts } from './data/accounts.ts'
import { generateCreditCards } from './data/credit-cards.ts'
import { generateIdentity } from './data/identity.ts'
import { generateInvestmentTransactions } from './data/investment-transactions.ts'
import { generateInvestments } from './data/investments.ts'
import { buildLedger, type Ledger } from './data/ledger.ts'
import { contractsOf, loanOf } from './data/loans.ts'
import { generateOpportunities } from './data/opportunities.ts'
import { generatePaymentData } from './data/payment-data.ts'
import { SandboxUser, type SandboxDataOptions } from './data/sandbox-user.ts'

// What the engine's tests read of the data's rhythm, through the module they already import.
export { dayNumber } from './data/calendar.ts'
export { HOLD_EVERY } from './data/live-activity.ts'
export { PENDING_DAYS, SLOT_EVERY } from './data/transaction-schedule.ts'
export type { SandboxDataOptions } from './data/sandbox-user.ts'

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
  loans: CollectedLoan[]
  accountStatements: CollectedAccountStatement[]
}

/**
 * The sandbox data of one user on one day. Each product is computed on demand (a connector
 * step asks only for its own product), and the same inputs always give deep-equal output.
 */
export class SandboxData {
  private readonly user: SandboxUser
  private books: Ledger | undefined

  constructor(options: SandboxDataOptions) {
    this.user = new SandboxUser(options)
  }

  /** The institution's books, drafted once: accounts, cards and transactions all read them. */
  private get ledger(): Ledger {
    return (this.books ??= buildLedger(this.user))
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
    return generateAccounts(this.user, this.ledger)
  }

  /** Credit-card accounts: one Mastercard, with its closed bills. */
  creditCards(): CollectedAccount[] {
    return generateCreditCards(this.user, this.ledger)
  }

  /** Transactions of the last 90 days, newest first; `accountProviderIds` keeps only those accounts'. */
  transactions(accountProviderIds?: ReadonlySet<string>): CollectedTransaction[] {
    const all = this.ledger.transactions
    return accountProviderIds ? all.filter((t) => accountProviderIds.has(t.accountProviderId)) : [...all]
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

  loans(): CollectedLoan[] {
    return contractsOf(this.user).map((c) => loanOf(this.user, c))
  }

  /** Statement months of the bank accounts; `accountProviderIds` keeps only those accounts'. */
  accountStatements(accountProviderIds?: ReadonlySet<string>): CollectedAccountStatement[] {
    return generateAccountStatements(this.user, accountProviderIds)
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
      loans: this.loans(),
      accountStatements: this.accountStatements(),
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
