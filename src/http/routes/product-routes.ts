import { z } from 'zod'
import type { FastifyRequest } from 'fastify'
import { presentTransaction } from '../data-presenters.ts'
import type { App, HttpServices } from '../http-types.ts'
import { PageQuery, page, pageWindow } from '../paging.ts'
import { presentAccountStatement, presentCategory, presentCreditCardBill, presentLoan } from '../product-presenters.ts'
import { AccountStatementPage, StatementLinkQuery } from '../schemas/account-statement.ts'
import { Category, CategoryPage, UpdateTransaction } from '../schemas/category.ts'
import { CreditCardBill, CreditCardBillPage } from '../schemas/credit-card-bill.ts'
import { refusals } from '../schemas/error.ts'
import { Loan, LoanPage } from '../schemas/loan.ts'
import { Transaction } from '../schemas/transaction.ts'
import { requiredQuery } from '../query-refusals.ts'

const Id = z.string().max(200)
const IdParams = z.object({ id: Id })
const CategoriesQuery = z.object({ parentId: z.string().max(20).optional().describe('Only the direct children of this category') })
const BillsQuery = PageQuery.extend({ accountId: Id.optional() })
const LoansQuery = PageQuery.extend({ itemId: Id.optional() })

/** The address clients reached this server at, for links they follow later (statement downloads). */
function origin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`
}

/**
 * The reference's products beyond the seed's: categories (and a transaction's user category),
 * credit-card bills, loans, account statements and their signed PDF links. Another client's ids
 * are answered like unknown ones (404).
 */
export function registerProductRoutes(app: App, services: HttpServices): void {
  const { data, products } = services

  app.get('/categories', { schema: { tags: ['categories'], querystring: CategoriesQuery, response: { 200: CategoryPage } } }, async (request) => {
    const categories = products.categories({ parentId: request.query.parentId })
    // The whole tree is one page, as the reference answers it.
    return { page: 1, total: categories.length, totalPages: categories.length === 0 ? 0 : 1, results: categories.map(presentCategory) }
  })

  app.get(
    '/categories/:id',
    { schema: { tags: ['categories'], params: IdParams, response: { 200: Category.describe('The category'), ...refusals({ 404: ['CATEGORY_NOT_FOUND'] }) } } },
    async (request) => presentCategory(products.category(request.params.id)),
  )

  app.patch(
    '/transactions/:id',
    {
      schema: {
        tags: ['data'],
        description: 'Records the category the user chose for the transaction; later syncs never overwrite it.',
        params: IdParams,
        body: UpdateTransaction,
        response: { 200: Transaction.describe('The transaction with its new category'), ...refusals({ 400: ['CATEGORY_NOT_FOUND'], 404: ['TRANSACTION_NOT_FOUND'] }) },
      },
    },
    async (request) => presentTransaction(await products.setCategory(request.principal!.clientId, request.params.id, request.body.categoryId)),
  )

  app.get('/bills', { schema: { tags: ['bills'], querystring: BillsQuery, response: { 200: CreditCardBillPage, ...refusals({ 404: ['ACCOUNT_NOT_FOUND'] }) } } }, async (request) => {
    const { clientId } = request.principal!
    if (request.query.accountId === undefined) requiredQuery('accountId')
    const account = await data.account(clientId, request.query.accountId)
    const { rows, total } = await products.bills(clientId, { accountId: account.id, ...pageWindow(request.query) })
    return page(rows.map(presentCreditCardBill), total, request.query.page, request.query.pageSize)
  })

  app.get('/bills/:id', { schema: { tags: ['bills'], params: IdParams, response: { 200: CreditCardBill.describe('The bill'), ...refusals({ 404: ['BILL_NOT_FOUND'] }) } } }, async (request) =>
    presentCreditCardBill(await products.bill(request.principal!.clientId, request.params.id)),
  )

  app.get('/loans', { schema: { tags: ['loans'], querystring: LoansQuery, response: { 200: LoanPage, ...refusals({ 404: ['ITEM_NOT_FOUND'] }) } } }, async (request) => {
    const { clientId } = request.principal!
    if (request.query.itemId === undefined) requiredQuery('itemId')
    const item = await data.item(clientId, request.query.itemId)
    const { rows, total } = await products.loans(clientId, { itemId: item.id, ...pageWindow(request.query) })
    return page(rows.map(presentLoan), total, request.query.page, request.query.pageSize)
  })

  app.get('/loans/:id', { schema: { tags: ['loans'], params: IdParams, response: { 200: Loan.describe('The loan'), ...refusals({ 404: ['LOAN_NOT_FOUND'] }) } } }, async (request) =>
    presentLoan(await products.loan(request.principal!.clientId, request.params.id)),
  )

  app.get(
    '/accounts/:id/statements',
    { schema: { tags: ['account statements'], params: IdParams, querystring: PageQuery, response: { 200: AccountStatementPage, ...refusals({ 404: ['ACCOUNT_NOT_FOUND'] }) } } },
    async (request) => {
      const { clientId } = request.principal!
      const account = await data.account(clientId, request.params.id)
      const { rows, total } = await products.statements(clientId, { accountId: account.id, ...pageWindow(request.query) })
      const base = origin(request)
      const results = rows.map(({ row, link }) => {
        const query = new URLSearchParams({ client: link.client, expires: String(link.expires), signature: link.signature })
        return presentAccountStatement(row, `${base}/account-statements/${row.id}/file?${query.toString()}`)
      })
      return page(results, total, request.query.page, request.query.pageSize)
    },
  )

  // The link itself is the credential (as the reference's signed URLs): no API key.
  app.get(
    '/account-statements/:id/file',
    {
      config: { access: 'public' },
      schema: {
        tags: ['account statements'],
        description: 'The statement’s PDF, through the signed link of GET /accounts/{id}/statements (valid 30 minutes).',
        params: IdParams,
        querystring: StatementLinkQuery,
        response: {
          200: z.any().describe('The PDF (application/pdf)'),
          ...refusals({ 403: ['STATEMENT_LINK_EXPIRED', 'STATEMENT_LINK_INVALID'], 404: ['ACCOUNT_STATEMENT_NOT_FOUND'] }),
        },
      },
    },
    async (request, reply) => {
      const { statement, pdf } = await products.statementPdf(request.params.id, request.query)
      // A Buffer is written as it is, never through the JSON serializer.
      return reply.type('application/pdf').header('Content-Disposition', `inline; filename="statement-${statement.month}.pdf"`).header('Cache-Control', 'private, no-store').send(Buffer.from(pdf))
    },
  )
}
