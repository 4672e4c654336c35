import { z } from 'zod'
import type { Principal } from '../auth.ts'
import { assertReaches } from '../connect-scope.ts'
import { presentAccount, presentAccountForConnectToken, presentIdentity, presentInvestment, presentInvestmentTransaction, presentOpportunity, presentTransaction } from '../data-presenters.ts'
import type { App, HttpServices } from '../http-types.ts'
import { LongPageQuery, PageQuery, page, pageWindow } from '../paging.ts'
import { Account, AccountPage } from '../schemas/account.ts'
import { refusals } from '../schemas/error.ts'
import { Identity } from '../schemas/identity.ts'
import { Investment, InvestmentPage, InvestmentTransactionPage } from '../schemas/investment.ts'
import { OpportunityPage } from '../schemas/opportunity.ts'
import { Transaction, TransactionCursorPage, TransactionPage } from '../schemas/transaction.ts'
import { decodeCursor, encodeCursor } from '../transaction-cursor.ts'
import { invalidQuery as invalid, requiredQuery as required } from '../query-refusals.ts'

const DAY_MS = 86_400_000
/** `YYYY-MM-DD`, optionally followed by a time and a zone (ISO-8601). */
const QUERY_DATE = /^(\d{4}-\d{2}-\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/

/** The instant a query date names: a date-only value is that day at 00:00 UTC. */
function instantOf(raw: string): Date | null {
  const match = QUERY_DATE.exec(raw)
  if (!match) return null
  const day = match[1]
  // Rejects days that do not exist (2024-02-30) instead of rolling them over.
  const start = new Date(`${day}T00:00:00.000Z`)
  if (Number.isNaN(start.getTime()) || start.toISOString().slice(0, 10) !== day) return null
  if (raw.length === 10) return start
  const instant = new Date(raw)
  return Number.isNaN(instant.getTime()) ? null : instant
}

/**
 * The start (00:00 UTC) of the calendar day a query date names, as written — the date part of
 * `2024-03-05T00:00:00-03:00` is the 5th. Transaction dates are days: filters count whole days.
 */
function dayStartOf(raw: string): Date {
  return new Date(`${raw.slice(0, 10)}T00:00:00.000Z`)
}

const DateQuery = z
  .string()
  .max(64)
  .refine((raw) => instantOf(raw) !== null, 'must be a date (YYYY-MM-DD) or an ISO-8601 date-time')
const Id = z.string().max(200)
const IdParams = z.object({ id: Id })
const AccountsQuery = PageQuery.extend({ itemId: Id.optional(), type: z.enum(['BANK', 'CREDIT']).optional() })
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const MAX_IDS = 500
/**
 * `?ids=` as the reference client sends it (a comma-separated list), or repeated: at most 500
 * transaction ids. Given, it replaces every other filter but the account (as the reference documents).
 */
const IdsQuery = z
  .union([z.string().max(MAX_IDS * 37), z.array(z.string().max(MAX_IDS * 37)).max(MAX_IDS)])
  .transform((raw) =>
    [raw]
      .flat()
      .flatMap((part) => part.split(','))
      .map((id) => id.trim())
      .filter((id) => id !== ''),
  )
  .refine((ids) => ids.length <= MAX_IDS, `must list at most ${MAX_IDS} ids`)
  .refine((ids) => ids.every((id) => UUID.test(id)), 'must be transaction ids (UUIDs), comma-separated')
  .transform((ids) => [...new Set(ids.map((id) => id.toLowerCase()))])
const TransactionsQuery = LongPageQuery.extend({
  accountId: Id.optional(),
  from: DateQuery.optional(),
  to: DateQuery.optional(),
  ids: IdsQuery.optional(),
  billId: Id.optional(),
  createdAtFrom: DateQuery.optional(),
})
const CursorQuery = z.object({
  accountId: Id.optional(),
  ids: IdsQuery.optional(),
  dateFrom: DateQuery.optional(),
  dateTo: DateQuery.optional(),
  createdAtFrom: DateQuery.optional(),
  after: z.string().max(200).optional(),
  pageSize: z.coerce.number().int().min(1).max(500).default(500),
})
const INVESTMENT_TYPES = ['FIXED_INCOME', 'SECURITY', 'MUTUAL_FUND', 'EQUITY', 'ETF', 'COE', 'OTHER'] as const
const InvestmentsQuery = LongPageQuery.extend({ itemId: Id.optional(), type: z.enum(INVESTMENT_TYPES).optional() })
const ItemQuery = z.object({ itemId: Id.optional() })
const ItemPageQuery = PageQuery.extend({ itemId: Id.optional() })

const itemNotFound = refusals({ 404: ['ITEM_NOT_FOUND'] })

/** SPEC §3.4 data endpoints. All need an API key, except the reduced account list of a connect token. */
export function registerDataRoutes(app: App, services: HttpServices): void {
  const { data } = services

  /** The client's item named by a `?itemId=` filter (§4a.6: another client's → 404 like a direct read). */
  const itemOf = (principal: Principal, raw: string | undefined) => {
    if (raw === undefined) required('itemId')
    return data.item(principal.clientId, raw)
  }

  app.get(
    '/accounts',
    {
      config: { access: 'connect' },
      schema: { tags: ['data'], querystring: AccountsQuery, response: { 200: AccountPage, ...refusals({ 403: ['FORBIDDEN_FOR_CONNECT_TOKEN'], 404: ['ITEM_NOT_FOUND'] }) } },
    },
    async (request) => {
      const principal = request.principal!
      const { itemId, type } = request.query
      const connect = principal.kind === 'connect'
      // A connect token bound to an item reads that item's accounts without naming it.
      const item = await itemOf(principal, itemId ?? (connect ? (principal.itemId ?? undefined) : undefined))
      assertReaches(principal, item, 'read the accounts of this item')
      const { rows, total } = await data.accounts(principal.clientId, { itemId: item.id, type: type ?? null, ...pageWindow(request.query) })
      return page(rows.map(connect ? presentAccountForConnectToken : presentAccount), total, request.query.page, request.query.pageSize)
    },
  )

  app.get('/accounts/:id', { schema: { tags: ['data'], params: IdParams, response: { 200: Account.describe('The account'), ...refusals({ 404: ['ACCOUNT_NOT_FOUND'] }) } } }, async (request) =>
    presentAccount(await data.account(request.principal!.clientId, request.params.id)),
  )

  app.get(
    '/transactions',
    { schema: { tags: ['data'], querystring: TransactionsQuery, response: { 200: TransactionPage, ...refusals({ 404: ['ACCOUNT_NOT_FOUND', 'BILL_NOT_FOUND'] }) } } },
    async (request) => {
      const { clientId } = request.principal!
      const { accountId, from, to, ids } = request.query
      if (accountId === undefined) required('accountId')
      const account = await data.account(clientId, accountId)
      const window = pageWindow(request.query)
      if (ids !== undefined) {
        // The reference discards the other filters when ids are given.
        const { rows, total } = await data.transactions(clientId, { accountId: account.id, ids, ...window })
        return page(rows.map(presentTransaction), total, request.query.page, request.query.pageSize)
      }
      const fromDay = from === undefined ? null : dayStartOf(from)
      // `to` is inclusive of its whole day (SPEC §4a.10).
      const toExclusive = to === undefined ? null : new Date(dayStartOf(to).getTime() + DAY_MS)
      if (fromDay && toExclusive && fromDay >= toExclusive) invalid('from', 'must not be after to')
      const billId = request.query.billId === undefined ? null : (await services.products.bill(clientId, request.query.billId)).id
      const createdAtFrom = request.query.createdAtFrom === undefined ? null : instantOf(request.query.createdAtFrom)
      const { rows, total } = await data.transactions(clientId, { accountId: account.id, from: fromDay, to: toExclusive, billId, createdAtFrom, ...window })
      return page(rows.map(presentTransaction), total, request.query.page, request.query.pageSize)
    },
  )

  app.get('/v2/transactions', { schema: { tags: ['data'], querystring: CursorQuery, response: { 200: TransactionCursorPage, ...refusals({ 404: ['ACCOUNT_NOT_FOUND'] }) } } }, async (request) => {
    const { clientId } = request.principal!
    const query = request.query
    if (query.accountId === undefined) required('accountId')
    const afterSeq = query.after === undefined ? 0 : decodeCursor(query.after)
    if (afterSeq === null) invalid('after', 'is not a cursor this API returned; pass the after value of the previous page’s next link unchanged')
    const account = await data.account(clientId, query.accountId)
    // With ids the other filters are discarded, as on GET /transactions.
    const byIds = query.ids !== undefined
    const dateFrom = query.dateFrom === undefined || byIds ? null : dayStartOf(query.dateFrom)
    const dateTo = query.dateTo === undefined || byIds ? null : new Date(dayStartOf(query.dateTo).getTime() + DAY_MS)
    if (dateFrom && dateTo && dateFrom >= dateTo) invalid('dateFrom', 'must not be after dateTo')
    const rows = await data.transactionsAfter(clientId, {
      accountId: account.id,
      afterSeq,
      dateFrom,
      dateTo,
      createdAtFrom: query.createdAtFrom === undefined || byIds ? null : instantOf(query.createdAtFrom),
      ids: query.ids ?? null,
      // One more than asked: whether it comes back tells if there is a next page.
      limit: query.pageSize + 1,
    })
    const results = rows.slice(0, query.pageSize)
    let next: string | null = null
    if (rows.length > query.pageSize) {
      const params = new URLSearchParams({ accountId: query.accountId })
      if (query.ids !== undefined) params.set('ids', query.ids.join(','))
      for (const name of ['dateFrom', 'dateTo', 'createdAtFrom'] as const) if (query[name] !== undefined && !byIds) params.set(name, query[name])
      if (query.pageSize !== 500) params.set('pageSize', String(query.pageSize))
      params.set('after', encodeCursor(results[results.length - 1].seq))
      next = `/v2/transactions?${params.toString()}`
    }
    return { results: results.map(presentTransaction), next }
  })

  app.get(
    '/transactions/:id',
    { schema: { tags: ['data'], params: IdParams, response: { 200: Transaction.describe('The transaction'), ...refusals({ 404: ['TRANSACTION_NOT_FOUND'] }) } } },
    async (request) => presentTransaction(await data.transaction(request.principal!.clientId, request.params.id)),
  )

  app.get('/investments', { schema: { tags: ['data'], querystring: InvestmentsQuery, response: { 200: InvestmentPage, ...itemNotFound } } }, async (request) => {
    const { clientId } = request.principal!
    const item = await itemOf(request.principal!, request.query.itemId)
    const { rows, total } = await data.investments(clientId, { itemId: item.id, type: request.query.type ?? null, ...pageWindow(request.query) })
    return page(rows.map(presentInvestment), total, request.query.page, request.query.pageSize)
  })

  app.get(
    '/investments/:id',
    { schema: { tags: ['data'], params: IdParams, response: { 200: Investment.describe('The investment'), ...refusals({ 404: ['INVESTMENT_NOT_FOUND'] }) } } },
    async (request) => presentInvestment(await data.investment(request.principal!.clientId, request.params.id)),
  )

  app.get(
    '/investments/:id/transactions',
    { schema: { tags: ['data'], params: IdParams, querystring: LongPageQuery, response: { 200: InvestmentTransactionPage, ...refusals({ 404: ['INVESTMENT_NOT_FOUND'] }) } } },
    async (request) => {
      const { clientId } = request.principal!
      const investment = await data.investment(clientId, request.params.id)
      const { rows, total } = await data.investmentTransactions(clientId, { investmentId: investment.id, ...pageWindow(request.query) })
      return page(rows.map(presentInvestmentTransaction), total, request.query.page, request.query.pageSize)
    },
  )

  // The identity object itself, not a page (SPEC §4a.11).
  app.get('/identity', { schema: { tags: ['data'], querystring: ItemQuery, response: { 200: Identity, ...refusals({ 404: ['ITEM_NOT_FOUND', 'IDENTITY_NOT_FOUND'] }) } } }, async (request) => {
    const item = await itemOf(request.principal!, request.query.itemId)
    return presentIdentity(await data.identityOfItem(request.principal!.clientId, item.id))
  })

  app.get('/identity/:id', { schema: { tags: ['data'], params: IdParams, response: { 200: Identity, ...refusals({ 404: ['IDENTITY_NOT_FOUND'] }) } } }, async (request) =>
    presentIdentity(await data.identity(request.principal!.clientId, request.params.id)),
  )

  app.get('/opportunities', { schema: { tags: ['data'], querystring: ItemPageQuery, response: { 200: OpportunityPage, ...itemNotFound } } }, async (request) => {
    const { clientId } = request.principal!
    const item = await itemOf(request.principal!, request.query.itemId)
    const { rows, total } = await data.opportunities(clientId, { itemId: item.id, ...pageWindow(request.query) })
    return page(rows.map(presentOpportunity), total, request.query.page, request.query.pageSize)
  })
}
