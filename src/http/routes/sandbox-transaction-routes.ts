import { z } from 'zod'
import type { TransactionEditView } from '../../services/sandbox-transaction-service.ts'
import type { App, HttpServices } from '../http-types.ts'
import { refusals } from '../schemas/error.ts'
import { AddTransactionBody, ChangeTransactionBody, TransactionEdit } from '../schemas/sandbox.ts'

const TAGS = ['Sandbox']
const ItemParams = z.object({ id: z.string().max(200) })
const TransactionParams = ItemParams.extend({ transactionId: z.string().max(200) })
const EDIT_REFUSALS = refusals({ 400: ['SANDBOX_CONNECTOR_REQUIRED'], 404: ['SANDBOX_CONTROL_DISABLED', 'ITEM_NOT_FOUND', 'TRANSACTION_NOT_FOUND'] })

const present = (edit: TransactionEditView): TransactionEdit => ({ ...edit, createdAt: edit.createdAt.toISOString() })

/**
 * The sandbox control API's transaction edits (docs/sandbox.md): change a sandbox item's
 * transactions at the institution; the item's next sync merges the change and emits
 * `transactions/created|updated|deleted` as for any change at a real institution.
 */
export function registerSandboxTransactionRoutes(app: App, services: HttpServices): void {
  const { sandboxTransactions } = services

  app.get(
    '/sandbox/items/:id/transactions',
    {
      schema: {
        tags: TAGS,
        summary: 'The changes made to the item’s transactions at the institution, oldest first',
        params: ItemParams,
        response: {
          200: z.strictObject({ results: z.array(TransactionEdit) }).describe('Every change made, oldest first'),
          ...refusals({ 400: ['SANDBOX_CONNECTOR_REQUIRED'], 404: ['SANDBOX_CONTROL_DISABLED', 'ITEM_NOT_FOUND'] }),
        },
      },
    },
    async (request) => ({ results: (await sandboxTransactions.list(request.principal!.clientId, request.params.id)).map(present) }),
  )

  app.post(
    '/sandbox/items/:id/transactions',
    {
      schema: {
        tags: TAGS,
        summary: 'Add a transaction to one of the item’s accounts at the institution',
        params: ItemParams,
        body: AddTransactionBody,
        response: { 200: TransactionEdit, ...refusals({ 400: ['SANDBOX_CONNECTOR_REQUIRED'], 404: ['SANDBOX_CONTROL_DISABLED', 'ITEM_NOT_FOUND', 'ACCOUNT_NOT_FOUND'] }) },
      },
    },
    async (request) => present(await sandboxTransactions.add(request.principal!.clientId, request.params.id, request.body)),
  )

  app.patch(
    '/sandbox/items/:id/transactions/:transactionId',
    {
      schema: {
        tags: TAGS,
        summary: 'Change a transaction’s amount, description or date at the institution',
        params: TransactionParams,
        body: ChangeTransactionBody,
        response: { 200: TransactionEdit, ...EDIT_REFUSALS },
      },
    },
    async (request) => present(await sandboxTransactions.change(request.principal!.clientId, request.params.id, request.params.transactionId, request.body)),
  )

  for (const [kind, summary] of [
    ['post', 'Post a pending transaction (PENDING → POSTED, same id)'],
    ['restate', 'Report the transaction under a new id at the institution'],
  ] as const) {
    app.post(
      `/sandbox/items/:id/transactions/:transactionId/${kind}`,
      { schema: { tags: TAGS, summary, params: TransactionParams, response: { 200: TransactionEdit, ...EDIT_REFUSALS } } },
      async (request) => present(await sandboxTransactions.act(request.principal!.clientId, request.params.id, request.params.transactionId, kind)),
    )
  }

  app.delete(
    '/sandbox/items/:id/transactions/:transactionId',
    { schema: { tags: TAGS, summary: 'Remove a transaction at the institution', params: TransactionParams, response: { 200: TransactionEdit, ...EDIT_REFUSALS } } },
    async (request) => present(await sandboxTransactions.act(request.principal!.clientId, request.params.id, request.params.transactionId, 'remove')),
  )
}
