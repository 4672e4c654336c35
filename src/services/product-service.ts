import { findCategory, listCategories, type Category } from '../domain/categories.ts'
import type { CodeWithStatus } from '../domain/error-codes.ts'
import { Refusal } from '../engine/refusal.ts'
import type { Clock } from '../time/clock.ts'
import { findAccountStatement, findAccountStatementPdf, listAccountStatements, type AccountStatementRow } from '../store/account-statements.ts'
import { findAccount } from '../store/accounts.ts'
import { findCreditCardBill, listCreditCardBills, type CreditCardBillRow } from '../store/credit-card-bills.ts'
import type { Queryable } from '../store/database.ts'
import { findLoan, listLoans, type LoanRow } from '../store/loans.ts'
import { listTransactions, setTransactionCategory, type TransactionRow } from '../store/transactions.ts'
import { resourceId } from './resource-id.ts'
import type { StatementLinks } from './statement-links.ts'

type Page = { limit: number; offset: number }

/** The most movements a rendered monthly statement lists (a month of a busy account fits well within). */
const STATEMENT_MAX_ROWS = 10_000

/**
 * The reference's products beyond the seed's — categories, credit-card bills, loans and account
 * statements — read (and, for a transaction's category, written) for one client at a time. As in
 * DataService, a lookup by id answers the resource or refuses with its `*_NOT_FOUND` code.
 */
export class ProductService {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
    readonly links: StatementLinks,
  ) {}

  categories(filter: { parentId?: string }): Category[] {
    return listCategories(filter)
  }

  category(id: string): Category {
    const category = findCategory(id)
    if (!category) throw new Refusal('not_found', 'CATEGORY_NOT_FOUND', `Category ${id} was not found; GET /categories lists them all.`)
    return category
  }

  /** Records the user's category for a transaction; later merges never overwrite it. */
  async setCategory(clientId: string, rawId: string, categoryId: string): Promise<TransactionRow> {
    const id = resourceId(rawId, 'TRANSACTION_NOT_FOUND', 'Transaction')
    const category = findCategory(categoryId)
    if (!category) {
      throw new Refusal('bad_request', 'CATEGORY_NOT_FOUND', `categoryId ${categoryId} is not a category; use an id of GET /categories.`, {
        details: [{ parameter: 'body.categoryId', message: 'is not an id of GET /categories' }],
      })
    }
    const row = await setTransactionCategory(this.db, clientId, id, { id: category.id, description: category.description }, this.clock.now())
    if (!row) throw new Refusal('not_found', 'TRANSACTION_NOT_FOUND', `Transaction ${rawId} was not found.`)
    return row
  }

  bill(clientId: string, rawId: string): Promise<CreditCardBillRow> {
    return this.found(rawId, 'BILL_NOT_FOUND', 'Credit-card bill', (id) => findCreditCardBill(this.db, clientId, id))
  }

  bills(clientId: string, filter: { accountId: string } & Page) {
    return listCreditCardBills(this.db, clientId, filter)
  }

  loan(clientId: string, rawId: string): Promise<LoanRow> {
    return this.found(rawId, 'LOAN_NOT_FOUND', 'Loan', (id) => findLoan(this.db, clientId, id))
  }

  loans(clientId: string, filter: { itemId: string } & Page) {
    return listLoans(this.db, clientId, filter)
  }

  /** A page of an account's statements, each with a download link signed now. */
  async statements(clientId: string, filter: { accountId: string } & Page) {
    const { rows, total } = await listAccountStatements(this.db, clientId, filter)
    const now = this.clock.now()
    return { rows: rows.map((row) => ({ row, link: this.links.sign(row.id, clientId, now) })), total }
  }

  /**
   * The PDF a signed link names: the institution's own document when it gave one, else one rendered
   * from the account's stored transactions of that month. The link is checked before anything is read.
   */
  async statementPdf(rawId: string, link: { client: string; expires: number; signature: string }): Promise<{ statement: AccountStatementRow; pdf: Uint8Array }> {
    const checked = this.links.check(rawId, link, this.clock.now())
    if (!checked.ok && checked.reason === 'expired') {
      throw new Refusal('forbidden', 'STATEMENT_LINK_EXPIRED', 'This statement link expired (links last 30 minutes); list the account’s statements again for a fresh one.')
    }
    if (!checked.ok) throw new Refusal('forbidden', 'STATEMENT_LINK_INVALID', 'This statement link is not valid; use the url of GET /accounts/{id}/statements unchanged.')
    const statement = await this.found(rawId, 'ACCOUNT_STATEMENT_NOT_FOUND', 'Account statement', (id) => findAccountStatement(this.db, link.client, id))
    const stored = await findAccountStatementPdf(this.db, link.client, statement.id)
    if (stored) return { statement, pdf: stored }
    const account = await findAccount(this.db, link.client, statement.accountId)
    if (!account) throw new Refusal('not_found', 'ACCOUNT_STATEMENT_NOT_FOUND', `Account statement ${rawId} was not found.`)
    const from = new Date(`${statement.month}-01T00:00:00.000Z`)
    const to = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1))
    const { rows } = await listTransactions(this.db, link.client, { accountId: account.id, from, to, limit: STATEMENT_MAX_ROWS, offset: 0 })
    // Loaded on the first statement rather than at start: the PDF library costs a start about
    // 70 ms and an idle engine about 4 MB of heap, and most engines never render a statement.
    const { renderStatementPdf } = await import('./statement-pdf.ts')
    // Listed newest first; a statement reads oldest first.
    const pdf = await renderStatementPdf(account, statement.month, rows.reverse(), statement.updatedAt)
    return { statement, pdf }
  }

  private async found<T>(rawId: string, code: CodeWithStatus<404>, what: string, find: (id: string) => Promise<T | undefined>): Promise<T> {
    const row = await find(resourceId(rawId, code, what))
    if (!row) throw new Refusal('not_found', code, `${what} ${rawId} was not found.`)
    return row
  }
}
