/**
 * What the application did to a sandbox item's transactions through the sandbox control API
 * (`ctx.sandbox.transactionEdits`), applied in order to what the institution would report: it
 * adds, changes, posts, restates under a new id and removes transactions as a real institution's
 * books change, so the next sync merges them and reports them as usual.
 */
import type { CollectedTransaction, TransactionEdit } from '../sdk/index.ts'

export function applyTransactionEdits(transactions: CollectedTransaction[], edits: readonly TransactionEdit[], accountIds: ReadonlySet<string>): CollectedTransaction[] {
  let edited = transactions
  const update = (providerId: string, change: (t: CollectedTransaction) => CollectedTransaction) => {
    edited = edited.map((t) => (t.providerId === providerId ? change(t) : t))
  }
  for (const edit of edits) {
    switch (edit.kind) {
      case 'add':
        // Only with its account, as every transaction the institution reports.
        if (accountIds.has(edit.transaction.accountProviderId)) edited = [...edited, { ...edit.transaction, currencyCode: 'BRL' }]
        break
      case 'change':
        update(edit.providerId, (t) => ({
          ...t,
          ...(edit.amount !== undefined ? { amount: edit.amount, amountInAccountCurrency: null, balance: null } : {}),
          ...(edit.type !== undefined ? { type: edit.type } : {}),
          ...(edit.description !== undefined ? { description: edit.description, descriptionRaw: edit.description } : {}),
          ...(edit.date !== undefined ? { date: edit.date } : {}),
        }))
        break
      case 'post':
        update(edit.providerId, (t) => ({ ...t, status: 'POSTED' }))
        break
      case 'restate':
        update(edit.providerId, (t) => ({ ...t, providerId: edit.newProviderId }))
        break
      case 'remove':
        edited = edited.filter((t) => t.providerId !== edit.providerId)
        break
      default: {
        const unreachable: never = edit
        throw new Error(`unknown transaction edit ${JSON.stringify(unreachable)}`)
      }
    }
  }
  return edited
}
