import { z } from 'zod'
import { idempotencyKeyOf } from '../../services/payments/payment-idempotency.ts'
import type { App, HttpServices } from '../http-types.ts'
import { PageQuery, page, pageWindow } from '../paging.ts'
import { presentSmartAccount, presentSmartAccountBalance } from '../payment-flow-presenters.ts'
import { refusals } from '../schemas/error.ts'
import { CreateSmartAccountBody, SmartAccount, SmartAccountBalance, SmartAccountPage } from '../schemas/smart-account.ts'

const IdParams = z.object({ id: z.string().max(100) })
const notFound = refusals({ 404: ['SMART_ACCOUNT_NOT_FOUND'] })
const creation = refusals({ 400: ['IDEMPOTENCY_KEY_INVALID'], 409: ['IDEMPOTENCY_KEY_REUSED'] })
const tags = ['payments']

/** Smart accounts and their balances (docs/payments.md, methods 24–27). */
export function registerPaymentAccountRoutes(app: App, services: HttpServices): void {
  const accounts = services.smartAccounts
  app.post(
    '/payments/smart-accounts',
    {
      schema: {
        tags,
        body: CreateSmartAccountBody,
        response: { 200: SmartAccount.describe('The smart account created (for a repeated Idempotency-Key with the same body, the one created first)'), ...creation },
      },
    },
    async (request) => presentSmartAccount(await accounts.create(request.principal!.clientId, request.body, idempotencyKeyOf(request.headers))),
  )
  app.get('/payments/smart-accounts', { schema: { tags, querystring: PageQuery, response: { 200: SmartAccountPage.describe('The client’s smart accounts, newest first') } } }, async (request) => {
    const { rows, total } = await accounts.list(request.principal!.clientId, pageWindow(request.query))
    return page(rows.map(presentSmartAccount), total, request.query.page, request.query.pageSize)
  })
  app.get('/payments/smart-accounts/:id', { schema: { tags, params: IdParams, response: { 200: SmartAccount.describe('The smart account'), ...notFound } } }, async (request) =>
    presentSmartAccount(await accounts.get(request.principal!.clientId, request.params.id)),
  )
  app.get(
    '/payments/smart-accounts/:id/balance',
    { schema: { tags, params: IdParams, response: { 200: SmartAccountBalance.describe('The smart account’s balance now'), ...notFound } } },
    async (request) => presentSmartAccountBalance(await accounts.get(request.principal!.clientId, request.params.id)),
  )
}
