import type { Collected, CollectedAccountStatement, CollectedIdentity, CollectedLoan, CollectedInvestmentTransaction, CollectedOpportunity, CollectedPaymentData } from '../../connectors/sdk/index.ts'
import type { Product, Trigger } from '../../domain/statuses.ts'
import type { NewEvent } from '../../store/events.ts'

export interface MergeScope {
  itemId: string
  clientId: string
  at: Date
  products: readonly Product[]
  failedProducts: readonly Product[]
  /**
   * For the payloads of the `transactions/*` events: who started the execution, and the item's
   * clientUserId and webhookUrl (which receives every event of the item). When any is absent, the
   * merge reads them from the item and its current execution.
   */
  triggeredBy?: Trigger
  clientUserId?: string | null
  webhookUrl?: string | null
}

/** Everything the execution collected; products it did not collect are absent. */
export type CollectedData = Collected &
  Partial<{
    investmentTransactions: CollectedInvestmentTransaction[]
    paymentData: CollectedPaymentData[]
    identity: CollectedIdentity
    opportunities: CollectedOpportunity[]
    loans: CollectedLoan[]
    accountStatements: CollectedAccountStatement[]
  }>

/** What one merge changed. Unchanged rows are not counted. */
export interface MergeResult {
  accounts: { created: number; updated: number }
  bills: { created: number; updated: number }
  transactions: { created: number; updated: number; deleted: number }
  investments: { created: number; updated: number }
  investmentTransactions: { created: number; updated: number }
  identity: 'created' | 'updated' | null
  opportunities: { created: number; updated: number; deleted: number }
  loans: { created: number; updated: number }
  accountStatements: { created: number; updated: number }
  /** The events written to the outbox (already inserted). */
  events: NewEvent[]
}

/** One item's merge: what its execution collected, and where and when it goes. */
export interface MergeEntry {
  scope: MergeScope
  collected: CollectedData
}
