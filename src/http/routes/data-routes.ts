import { z } from 'zod'
import { Refusal } from '../../engine/refusal.ts'
import { findAccount, listAccounts } from '../../store/accounts.ts'
import { findIdentity, findIdentityOfItem } from '../../store/identity.ts'
import { findInvestment, listInvestmentTransactions, listInvestments } from '../../store/investments.ts'
import { findItem } from '../../store/items.ts'
import { listOpportunities } from '../../store/opportunities.ts'
import { findTransaction, listTransactions, listTransactionsAfter } from '../../store/transactions.ts'
import type { App, HttpServices } from '../app.ts'
import type { Principal } from '../auth.ts'
import {
  presentAccount,
  presentAccountForConnectToken,
  presentIdentity,
  presentInvestment,
  presentInvestmentTransaction,
  presentOpportunity,
  presentTransaction,
} from '../data-presenters.ts'
import { page } from '../presenters.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
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
const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(20),
})
const AccountsQuery = PageQuery.extend({ itemId: Id.optional(), type: z.enum(['BANK', 'CREDIT']).optional() })
const TransactionsQuery = PageQuery.extend({ accountId: Id.optional(), from: DateQuery.optional(), to: DateQuery.optional() })
const CursorQuery = z.object({
  accountId: Id.optional(),
  dateFrom: DateQuery.optional(),
  dateTo: DateQuery.optional(),
  createdAtFrom: DateQuery.optional(),
  after: z.string().max(200).optional(),
  pageSize: z.coerce.number().int().min(1).max(500).default(500),
})
const INVESTMENT_TYPES = ['FIXED_INCOME', 'SECURITY', 'MUTUAL_FUND', 'EQUITY', 'ETF', 'COE', 'OTHER'] as const
const InvestmentsQuery = PageQuery.extend({ itemId: Id.optional(), type: z.enum(INVESTMENT_TYPES).optional() })
const ItemQuery = z.object({ itemId: Id.optional() })
const ItemPageQuery = PageQuery.extend({ itemId: Id.optional() })

/** A missing required query parameter, with the error shape of a validation failure. */
function required(name: string): never {
  throw new Refusal('bad_request', 'VALIDATION_ERROR', `The request is not valid: querystring.${name}: is required.`, {
    details: [{ parameter: `querystring.${name}`, message: 'is required' }],
  })
}

function invalid(name: string, message: string): never {
  throw new Refusal('bad_request', 'VALIDATION_ERROR', `The request is not valid: querystring.${name}: ${message}.`, {
    details: [{ parameter: `querystring.${name}`, message }],
  })
}

/** Ids that cannot exist are answered like unknown ones, before they reach the database. */
function uuidOr404(raw: string, code: string, what: string): string {
  if (!UUID.test(raw)) throw new Refusal('not_found', code, `${what} ${raw} was not found.`)
  return raw.toLowerCase()
}

/**
 * The `after` cursor of GET /v2/transactions: the seq of the last transaction returned, encoded
 * so that clients treat it as opaque (base64url, safe unencoded in a query string).
 */
export function encodeCursor(seq: number): string {
  return Buffer.from(JSON.stringify({ v: 1, seq }), 'utf8').toString('base64url')
}

export function decodeCursor(raw: string): number | null {
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { v?: unknown; seq?: unknown }
    return value.v === 1 && Number.isSafeInteger(value.seq) && (value.seq as number) >= 0 ? (value.seq as number) : null
  } catch {
    return null
  }
}

/** SPEC §3.4 data endpoints. All need an API key, except the reduced account list of a connect token. */
export function registerDataRoutes(app: App, services: HttpServices): void {
  const db = services.db.pool

  /** The client's item named by a `?itemId=` filter (§4a.6: another client's → 404 like a direct read). */
  const itemOf = async (principal: Principal, raw: string | undefined) => {
    if (raw === undefined) required('itemId')
    const id = uuidOr404(raw, 'ITEM_NOT_FOUND', 'Item')
    const item = await findItem(db, principal.clientId, id)
    if (!item) throw new Refusal('not_found', 'ITEM_NOT_FOUND', `Item ${raw} was not found.`)
    return item
  }
  const accountOf = async (principal: Principal, raw: string) => {
    const account = await findAccount(db, principal.clientId, uuidOr404(raw, 'ACCOUNT_NOT_FOUND', 'Account'))
    if (!account) throw new Refusal('not_found', 'ACCOUNT_NOT_FOUND', `Account ${raw} was not found.`)
    return account
  }
  const investmentOf = async (principal: Principal, raw: string) => {
    const investment = await findInvestment(db, principal.clientId, uuidOr404(raw, 'INVESTMENT_NOT_FOUND', 'Investment'))
    if (!investment) throw new Refusal('not_found', 'INVESTMENT_NOT_FOUND', `Investment ${raw} was not found.`)
    return investment
  }

  app.get('/accounts', { config: { access: 'connect' }, schema: { tags: ['data'], querystring: AccountsQuery } }, async (request) => {
    const principal = request.principal!
    const { itemId, type, page: pageNumber, pageSize } = request.query
    const connect = principal.kind === 'connect'
    // A connect token bound to an item reads that item's accounts without naming it.
    const item = await itemOf(principal, itemId ?? (connect ? (principal.itemId ?? undefined) : undefined))
    if (connect) {
      const allowed = principal.itemId ? principal.itemId === item.id : item.createdByToken === principal.tokenId
      if (!allowed) throw new Refusal('forbidden', 'FORBIDDEN_FOR_CONNECT_TOKEN', 'This connect token cannot read the accounts of this item.')
    }
    const { rows, total } = await listAccounts(db, principal.clientId, { itemId: item.id, type: type ?? null, limit: pageSize, offset: (pageNumber - 1) * pageSize })
    return page(rows.map(connect ? presentAccountForConnectToken : presentAccount), total, pageNumber, pageSize)
  })

  app.get('/accounts/:id', { schema: { tags: ['data'], params: IdParams } }, async (request) => presentAccount(await accountOf(request.principal!, request.params.id)))

  app.get('/transactions', { schema: { tags: ['data'], querystring: TransactionsQuery } }, async (request) => {
    const principal = request.principal!
    const { accountId, from, to, page: pageNumber, pageSize } = request.query
    if (accountId === undefined) required('accountId')
    const account = await accountOf(principal, accountId)
    const fromDay = from === undefined ? null : dayStartOf(from)
    // `to` is inclusive of its whole day (SPEC §4a.10).
    const toExclusive = to === undefined ? null : new Date(dayStartOf(to).getTime() + DAY_MS)
    if (fromDay && toExclusive && fromDay >= toExclusive) invalid('from', 'must not be after to')
    const { rows, total } = await listTransactions(db, principal.clientId, { accountId: account.id, from: fromDay, to: toExclusive, limit: pageSize, offset: (pageNumber - 1) * pageSize })
    return page(rows.map(presentTransaction), total, pageNumber, pageSize)
  })

  app.get('/v2/transactions', { schema: { tags: ['data'], querystring: CursorQuery } }, async (request) => {
    const principal = request.principal!
    const query = request.query
    if (query.accountId === undefined) required('accountId')
    const afterSeq = query.after === undefined ? 0 : decodeCursor(query.after)
    if (afterSeq === null) invalid('after', 'is not a cursor this API returned; pass the after value of the previous page’s next link unchanged')
    const account = await accountOf(principal, query.accountId)
    const dateFrom = query.dateFrom === undefined ? null : dayStartOf(query.dateFrom)
    const dateTo = query.dateTo === undefined ? null : new Date(dayStartOf(query.dateTo).getTime() + DAY_MS)
    if (dateFrom && dateTo && dateFrom >= dateTo) invalid('dateFrom', 'must not be after dateTo')
    const rows = await listTransactionsAfter(db, principal.clientId, {
      accountId: account.id,
      afterSeq,
      dateFrom,
      dateTo,
      createdAtFrom: query.createdAtFrom === undefined ? null : instantOf(query.createdAtFrom),
      // One more than asked: whether it comes back tells if there is a next page.
      limit: query.pageSize + 1,
    })
    const results = rows.slice(0, query.pageSize)
    let next: string | null = null
    if (rows.length > query.pageSize) {
      const params = new URLSearchParams({ accountId: query.accountId })
      for (const name of ['dateFrom', 'dateTo', 'createdAtFrom'] as const) if (query[name] !== undefined) params.set(name, query[name])
      if (query.pageSize !== 500) params.set('pageSize', String(query.pageSize))
      params.set('after', encodeCursor(results[results.length - 1].seq))
      next = `/v2/transactions?${params.toString()}`
    }
    return { results: results.map(presentTransaction), next }
  })

  app.get('/transactions/:id', { schema: { tags: ['data'], params: IdParams } }, async (request) => {
    const raw = request.params.id
    const transaction = await findTransaction(db, request.principal!.clientId, uuidOr404(raw, 'TRANSACTION_NOT_FOUND', 'Transaction'))
    if (!transaction) throw new Refusal('not_found', 'TRANSACTION_NOT_FOUND', `Transaction ${raw} was not found.`)
    return presentTransaction(transaction)
  })

  app.get('/investments', { schema: { tags: ['data'], querystring: InvestmentsQuery } }, async (request) => {
    const principal = request.principal!
    const { itemId, type, page: pageNumber, pageSize } = request.query
    const item = await itemOf(principal, itemId)
    const { rows, total } = await listInvestments(db, principal.clientId, { itemId: item.id, type: type ?? null, limit: pageSize, offset: (pageNumber - 1) * pageSize })
    return page(rows.map(presentInvestment), total, pageNumber, pageSize)
  })

  app.get('/investments/:id', { schema: { tags: ['data'], params: IdParams } }, async (request) => presentInvestment(await investmentOf(request.principal!, request.params.id)))

  app.get('/investments/:id/transactions', { schema: { tags: ['data'], params: IdParams, querystring: PageQuery } }, async (request) => {
    const principal = request.principal!
    const { page: pageNumber, pageSize } = request.query
    const investment = await investmentOf(principal, request.params.id)
    const { rows, total } = await listInvestmentTransactions(db, principal.clientId, { investmentId: investment.id, limit: pageSize, offset: (pageNumber - 1) * pageSize })
    return page(rows.map(presentInvestmentTransaction), total, pageNumber, pageSize)
  })

  // The identity object itself, not a page (SPEC §4a.11).
  app.get('/identity', { schema: { tags: ['data'], querystring: ItemQuery } }, async (request) => {
    const principal = request.principal!
    const item = await itemOf(principal, request.query.itemId)
    const identity = await findIdentityOfItem(db, principal.clientId, item.id)
    if (!identity) throw new Refusal('not_found', 'IDENTITY_NOT_FOUND', `No identity was collected for item ${item.id}.`)
    return presentIdentity(identity)
  })

  app.get('/identity/:id', { schema: { tags: ['data'], params: IdParams } }, async (request) => {
    const raw = request.params.id
    const identity = await findIdentity(db, request.principal!.clientId, uuidOr404(raw, 'IDENTITY_NOT_FOUND', 'Identity'))
    if (!identity) throw new Refusal('not_found', 'IDENTITY_NOT_FOUND', `Identity ${raw} was not found.`)
    return presentIdentity(identity)
  })

  app.get('/opportunities', { schema: { tags: ['data'], querystring: ItemPageQuery } }, async (request) => {
    const principal = request.principal!
    const { itemId, page: pageNumber, pageSize } = request.query
    const item = await itemOf(principal, itemId)
    const { rows, total } = await listOpportunities(db, principal.clientId, { itemId: item.id, limit: pageSize, offset: (pageNumber - 1) * pageSize })
    return page(rows.map(presentOpportunity), total, pageNumber, pageSize)
  })
}
