import { randomUUID } from 'node:crypto'
import type { Pool } from 'pg'
import { bulkDeletionRefusal, bulkMembershipRefusal, BULK_MEMBER, NEW_BULK_STATUS } from '../../domain/payments/payment-api-rules.ts'
import type { FieldProblem } from '../../domain/payments/field-problem.ts'
import { Refusal } from '../../engine/refusal.ts'
import { withTransaction, type Queryable } from '../../store/database.ts'
import { bulkStateOf, deleteBulkPayment, findBulkPayment, insertBulkPayment, listBulkPayments, type BulkPaymentRow } from '../../store/payments/bulk-payments.ts'
import { findPaymentRequest, listPaymentRequests, requestStateOf, type CallbackUrls } from '../../store/payments/payment-requests.ts'
import { findSmartAccount, type SmartAccountRow } from '../../store/payments/smart-accounts.ts'
import type { Clock } from '../../time/clock.ts'
import { resourceId } from '../resource-id.ts'
import { refuseProblems } from './payment-call.ts'
import { claimCreation } from './payment-idempotency.ts'
import { paymentPageUrl, requestViews, type PaymentRequestView } from './payment-request-views.ts'

export interface BulkPaymentBody {
  smartAccountId: string
  paymentRequestIds: string[]
  callbackUrls?: CallbackUrls
}

/** A bulk payment with what its answer shows: its smart account and its requests, in order. */
export interface BulkPaymentView {
  bulk: BulkPaymentRow
  smartAccount: SmartAccountRow
  requests: PaymentRequestView[]
  /** Where the payer tops the smart account up. */
  paymentUrl: string
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const notFound = (id: string) => new Refusal('not_found', 'PAYMENT_BULK_NOT_FOUND', `Bulk payment ${id} does not exist for this client; list them with GET /payments/bulk.`)

/**
 * Bulk payments (docs/payments.md, methods 20–23): one-off requests grouped to be paid from the
 * client's smart account, which the payer tops up with one intent (createPaymentIntent with
 * bulkPaymentId, served with methods 1–7).
 */
export class BulkPaymentService {
  constructor(
    private readonly db: Pool,
    private readonly clock: Clock,
    private readonly publicUrl: () => string,
  ) {}

  async create(clientId: string, body: BulkPaymentBody, idempotencyKey: string | undefined): Promise<BulkPaymentView> {
    const ids = body.paymentRequestIds.map((id) => id.toLowerCase())
    const problems: FieldProblem[] = []
    const malformed = ids.filter((id) => !UUID.test(id))
    if (malformed.length > 0) problems.push({ field: 'paymentRequestIds', message: `paymentRequestIds holds ids that are not payment requests: ${malformed.join(', ')}.` })
    if (new Set(ids).size !== ids.length) problems.push({ field: 'paymentRequestIds', message: 'paymentRequestIds names a request more than once; list each request once.' })
    if (!UUID.test(body.smartAccountId))
      problems.push({ field: 'smartAccountId', message: `smartAccountId ${body.smartAccountId} is not a smart account of this client; create one with POST /payments/smart-accounts.` })
    if (problems.length > 0) refuseProblems(problems)
    const at = this.clock.now()
    const id = randomUUID()
    const created = await withTransaction(this.db, async (tx) => {
      const first = await claimCreation(tx, { clientId, operation: 'createBulkPayment', key: idempotencyKey, body, resourceId: id, at })
      if (first) return first
      const smartAccount = await findSmartAccount(tx, clientId, body.smartAccountId.toLowerCase())
      if (!smartAccount)
        refuseProblems([{ field: 'smartAccountId', message: `smartAccountId ${body.smartAccountId} is not a smart account of this client; create one with POST /payments/smart-accounts.` }])
      const inserted = await insertBulkPayment(tx, {
        id,
        clientId,
        smartAccountId: smartAccount.id,
        status: NEW_BULK_STATUS,
        paymentRequestIds: ids,
        memberKind: BULK_MEMBER.kind,
        memberStatus: BULK_MEMBER.status,
        // The sandbox charges no fees: the payer tops up exactly the requests' sum.
        feesCents: 0,
        callbackUrls: body.callbackUrls ?? null,
        at,
      })
      if (!inserted) refuseProblems(await this.membershipProblems(tx, clientId, ids))
      return inserted.id
    })
    return this.get(clientId, created)
  }

  async get(clientId: string, id: string): Promise<BulkPaymentView> {
    const bulk = await findBulkPayment(this.db, clientId, resourceId(id, 'PAYMENT_BULK_NOT_FOUND', 'Bulk payment'))
    if (!bulk) throw notFound(id)
    return this.view(bulk)
  }

  async list(clientId: string, page: { limit: number; offset: number }): Promise<{ rows: BulkPaymentView[]; total: number }> {
    const { rows, total } = await listBulkPayments(this.db, clientId, page)
    return { rows: await Promise.all(rows.map((row) => this.view(row))), total }
  }

  async delete(clientId: string, id: string): Promise<void> {
    const bulk = await findBulkPayment(this.db, clientId, resourceId(id, 'PAYMENT_BULK_NOT_FOUND', 'Bulk payment'))
    if (!bulk) throw notFound(id)
    const refusal = bulkDeletionRefusal(bulkStateOf(bulk))
    if (refusal) throw new Refusal('conflict', 'BULK_PAYMENT_NOT_DELETABLE', `Bulk payment ${id} cannot be deleted. ${refusal}`)
    if (!(await deleteBulkPayment(this.db, clientId, bulk.id, bulk.status))) {
      // It moved between the read and the delete: a payer started its top-up.
      throw new Refusal('conflict', 'BULK_PAYMENT_NOT_DELETABLE', `Bulk payment ${id} cannot be deleted: its top-up started just now.`)
    }
  }

  private async view(bulk: BulkPaymentRow): Promise<BulkPaymentView> {
    const [smartAccount, requests] = await Promise.all([
      findSmartAccount(this.db, bulk.clientId, bulk.smartAccountId),
      listPaymentRequests(this.db, bulk.clientId, { bulkPaymentId: bulk.id, limit: 500, offset: 0 }),
    ])
    const order = new Map(bulk.requests.map((r, i) => [r.id, i]))
    const ordered = [...requests.rows].sort((a, b) => order.get(a.id)! - order.get(b.id)!)
    const publicUrl = this.publicUrl()
    return {
      bulk,
      smartAccount: smartAccount!,
      requests: await requestViews(this.db, bulk.clientId, ordered, publicUrl),
      paymentUrl: paymentPageUrl(publicUrl, { bulkPaymentId: bulk.id }),
    }
  }

  /** Why the store refused to group these requests: one sentence per request it could not take. */
  private async membershipProblems(db: Queryable, clientId: string, ids: string[]): Promise<FieldProblem[]> {
    const problems: FieldProblem[] = []
    for (const [i, id] of ids.entries()) {
      const request = await findPaymentRequest(db, clientId, id)
      const why = request ? bulkMembershipRefusal(requestStateOf(request)) : 'it is not a payment request of this client'
      if (why) problems.push({ field: `paymentRequestIds.${i}`, message: `Payment request ${id} cannot be paid in a bulk payment: ${why}.` })
    }
    // A request changed between the check and the insert (another bulk payment took it): say so rather than nothing.
    return problems.length > 0 ? problems : [{ field: 'paymentRequestIds', message: 'A request changed while the bulk payment was created; send the request again.' }]
  }
}
