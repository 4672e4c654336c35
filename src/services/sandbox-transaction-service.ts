import { randomUUID } from 'node:crypto'
import { transactionTypeOf, type TransactionEdit, type TransactionEditKind } from '../domain/sandbox-control.ts'
import { Refusal } from '../engine/refusal.ts'
import { findAccount } from '../store/accounts.ts'
import type { Queryable } from '../store/database.ts'
import type { ItemRow } from '../store/items.ts'
import { insertTransactionEdit, listTransactionEdits } from '../store/sandbox-controls.ts'
import { findTransaction } from '../store/transactions.ts'
import type { Clock } from '../time/clock.ts'
import { resourceId } from './resource-id.ts'

/** An edit as the API shows it. */
export interface TransactionEditView {
  id: string
  itemId: string
  kind: TransactionEditKind
  /** The transaction's id at the institution (before a restatement). */
  providerId: string
  /** A restatement: its new id at the institution. */
  newProviderId: string | null
  /** Tributary's id of the transaction edited; null for one added (it gets one when a sync merges it). */
  transactionId: string | null
  createdAt: Date
}

export interface AddTransactionRequest {
  accountId: string
  description: string
  amount: number
  /** `YYYY-MM-DD`; default: today on the engine's clock. */
  date?: string
  status?: 'PENDING' | 'POSTED'
}

export interface ChangeTransactionRequest {
  description?: string
  amount?: number
  date?: string
}

/**
 * The sandbox control API's transaction edits: what happens to a sandbox item's transactions at
 * the institution (added, changed, posted, restated under a new id, removed). Each is stored and
 * applied by the institution on every later execution, so the next sync merges it and emits
 * `transactions/created|updated|deleted` as usual. Items are checked by `items` (the client's,
 * of a sandbox institution, the API on).
 */
export class SandboxTransactionService {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
    private readonly items: { sandboxItem(clientId: string, rawId: string): Promise<ItemRow> },
  ) {}

  async add(clientId: string, rawItemId: string, request: AddTransactionRequest): Promise<TransactionEditView> {
    const item = await this.items.sandboxItem(clientId, rawItemId)
    const account = await findAccount(this.db, clientId, resourceId(request.accountId, 'ACCOUNT_NOT_FOUND', 'Account'))
    if (!account || account.itemId !== item.id) throw new Refusal('not_found', 'ACCOUNT_NOT_FOUND', `Account ${request.accountId} was not found among item ${item.id}'s accounts.`)
    const edit: TransactionEdit = {
      kind: 'add',
      transaction: {
        providerId: `sandbox-added-${randomUUID()}`,
        accountProviderId: account.providerId,
        date: this.dayOf(request.date),
        description: request.description,
        amount: request.amount,
        status: request.status ?? 'POSTED',
        type: transactionTypeOf(account.type, request.amount),
      },
    }
    return this.save(item, clientId, edit, null)
  }

  async change(clientId: string, rawItemId: string, rawTransactionId: string, request: ChangeTransactionRequest): Promise<TransactionEditView> {
    const { item, transaction } = await this.itemTransaction(clientId, rawItemId, rawTransactionId)
    const account = request.amount === undefined ? undefined : await findAccount(this.db, clientId, transaction.accountId)
    const edit: TransactionEdit = {
      kind: 'change',
      providerId: transaction.providerId,
      ...(request.amount !== undefined ? { amount: request.amount, type: transactionTypeOf(account?.type ?? 'BANK', request.amount) } : {}),
      ...(request.description !== undefined ? { description: request.description } : {}),
      ...(request.date !== undefined ? { date: this.dayOf(request.date) } : {}),
    }
    return this.save(item, clientId, edit, transaction.id)
  }

  /** post, restate or remove: the transaction is all they need. */
  async act(clientId: string, rawItemId: string, rawTransactionId: string, kind: 'post' | 'restate' | 'remove'): Promise<TransactionEditView> {
    const { item, transaction } = await this.itemTransaction(clientId, rawItemId, rawTransactionId)
    const { providerId } = transaction
    const edit: TransactionEdit = kind === 'restate' ? { kind, providerId, newProviderId: `${providerId}-restated-${randomUUID().slice(0, 8)}` } : { kind, providerId }
    return this.save(item, clientId, edit, transaction.id)
  }

  async list(clientId: string, rawItemId: string): Promise<TransactionEditView[]> {
    const item = await this.items.sandboxItem(clientId, rawItemId)
    return (await listTransactionEdits(this.db, clientId, item.id)).map((row) => viewOf(row.id, item.id, row.edit, null, row.createdAt))
  }

  private async save(item: ItemRow, clientId: string, edit: TransactionEdit, transactionId: string | null): Promise<TransactionEditView> {
    const id = randomUUID()
    const at = this.clock.now()
    await insertTransactionEdit(this.db, { id, itemId: item.id, clientId, edit, at })
    return viewOf(id, item.id, edit, transactionId, at)
  }

  private async itemTransaction(clientId: string, rawItemId: string, rawTransactionId: string) {
    const item = await this.items.sandboxItem(clientId, rawItemId)
    const transaction = await findTransaction(this.db, clientId, resourceId(rawTransactionId, 'TRANSACTION_NOT_FOUND', 'Transaction'))
    if (!transaction || transaction.itemId !== item.id || !transaction.providerId) {
      throw new Refusal('not_found', 'TRANSACTION_NOT_FOUND', `Transaction ${rawTransactionId} was not found among item ${item.id}'s transactions.`)
    }
    return { item, transaction: { ...transaction, providerId: transaction.providerId } }
  }

  /** Midnight UTC of a `YYYY-MM-DD` day, or of today on the engine's clock. */
  private dayOf(date: string | undefined): string {
    return `${date ?? this.clock.now().toISOString().slice(0, 10)}T00:00:00.000Z`
  }
}

function viewOf(id: string, itemId: string, edit: TransactionEdit, transactionId: string | null, createdAt: Date): TransactionEditView {
  const providerId = edit.kind === 'add' ? edit.transaction.providerId : edit.providerId
  return { id, itemId, kind: edit.kind, providerId, newProviderId: edit.kind === 'restate' ? edit.newProviderId : null, transactionId, createdAt }
}
