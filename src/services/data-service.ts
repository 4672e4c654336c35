import type { CodeWithStatus } from '../domain/error-codes.ts'
import { Refusal } from '../engine/refusal.ts'
import { findAccount, listAccounts, type AccountRow } from '../store/accounts.ts'
import type { Queryable } from '../store/database.ts'
import { findIdentity, findIdentityOfItem, type IdentityRow } from '../store/identity.ts'
import { findInvestment, listInvestmentTransactions, listInvestments, type InvestmentRow } from '../store/investments.ts'
import type { ItemRow } from '../store/items.ts'
import { listOpportunities } from '../store/opportunities.ts'
import { findTransaction, listTransactions, listTransactionsAfter, type TransactionFilter, type TransactionRow } from '../store/transactions.ts'
import { countItemData, type ItemDataCounts } from '../store/item-counts.ts'
import { ownedItem } from './owned-item.ts'
import { resourceId } from './resource-id.ts'

type Page = { limit: number; offset: number }

/**
 * The data executions collected (SPEC §3.4), read for one client at a time. A lookup by id answers
 * the resource or refuses with its `*_NOT_FOUND` code; a list takes the id of a resource the
 * caller already looked up, so that it lists only what the client owns.
 */
export class DataService {
  constructor(private readonly db: Queryable) {}

  item(clientId: string, rawId: string): Promise<ItemRow> {
    return ownedItem(this.db, clientId, rawId)
  }

  account(clientId: string, rawId: string): Promise<AccountRow> {
    return this.found(rawId, 'ACCOUNT_NOT_FOUND', 'Account', (id) => findAccount(this.db, clientId, id))
  }

  accounts(clientId: string, filter: { itemId: string; type: 'BANK' | 'CREDIT' | null } & Page) {
    return listAccounts(this.db, clientId, filter)
  }

  transaction(clientId: string, rawId: string): Promise<TransactionRow> {
    return this.found(rawId, 'TRANSACTION_NOT_FOUND', 'Transaction', (id) => findTransaction(this.db, clientId, id))
  }

  /** A page of an account's transactions, newest first; `from` and `to` are days (`to` exclusive). */
  transactions(clientId: string, filter: TransactionFilter & Page) {
    return listTransactions(this.db, clientId, filter)
  }

  /** Transactions after a cursor position (`seq`), for GET /v2/transactions. */
  transactionsAfter(clientId: string, filter: Parameters<typeof listTransactionsAfter>[2]) {
    return listTransactionsAfter(this.db, clientId, filter)
  }

  investment(clientId: string, rawId: string): Promise<InvestmentRow> {
    return this.found(rawId, 'INVESTMENT_NOT_FOUND', 'Investment', (id) => findInvestment(this.db, clientId, id))
  }

  investments(clientId: string, filter: { itemId: string; type: string | null } & Page) {
    return listInvestments(this.db, clientId, filter)
  }

  investmentTransactions(clientId: string, filter: { investmentId: string } & Page) {
    return listInvestmentTransactions(this.db, clientId, filter)
  }

  identity(clientId: string, rawId: string): Promise<IdentityRow> {
    return this.found(rawId, 'IDENTITY_NOT_FOUND', 'Identity', (id) => findIdentity(this.db, clientId, id))
  }

  async identityOfItem(clientId: string, itemId: string): Promise<IdentityRow> {
    const identity = await findIdentityOfItem(this.db, clientId, itemId)
    if (!identity) throw new Refusal('not_found', 'IDENTITY_NOT_FOUND', `No identity was collected for item ${itemId}.`)
    return identity
  }

  opportunities(clientId: string, filter: { itemId: string } & Page) {
    return listOpportunities(this.db, clientId, filter)
  }

  /** How much data each of the client's items holds: accounts, transactions, investments, opportunities (by item id; another client's ids are left out). */
  async counts(clientId: string, itemIds: string[]): Promise<Map<string, Omit<ItemDataCounts, 'itemId'>>> {
    if (itemIds.length === 0) return new Map()
    return new Map((await countItemData(this.db, clientId, itemIds)).map(({ itemId, ...counts }) => [itemId, counts]))
  }

  private async found<T>(rawId: string, code: CodeWithStatus<404>, what: string, find: (id: string) => Promise<T | undefined>): Promise<T> {
    const row = await find(resourceId(rawId, code, what))
    if (!row) throw new Refusal('not_found', code, `${what} ${rawId} was not found.`)
    return row
  }
}
