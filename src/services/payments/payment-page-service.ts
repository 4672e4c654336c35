import type { Pool } from 'pg'
import type { AutomaticPixTerms } from '../../domain/payments/automatic-pix.ts'
import { scheduleDates } from '../../domain/payments/schedule-dates.ts'
import { findBulkPaymentForPage } from '../../store/payments/bulk-payments.ts'
import { findLatestIntentOfBulk, findLatestIntentOfRequest, type PaymentIntentRow } from '../../store/payments/payment-intents.ts'
import type { CallbackUrls } from '../../store/payments/payment-requests.ts'
import { termsOf } from './automatic-pix-service.ts'
import type { PaymentIntentService } from './payment-intent-service.ts'
import type { PaymentRequestService } from './payment-request-service.ts'

/** What a payment page pays: a payment request, or the top-up of a bulk payment. */
export interface PayableOnPage {
  kind: 'REQUEST' | 'BULK'
  id: string
  clientId: string
  /** The page's own path, `/pay/{id}` or `/pay/bulk/{id}`. */
  path: string
  amountCents: number | null
  description: string | null
  recipientName: string | null
  callbackUrls: CallbackUrls | null
  intentInProgress: boolean
  /** A scheduled request's dates: the payer sees what they authorize before going to the bank. */
  dates: string[]
  /** A Pix Automático authorization's terms, for the same reason. */
  mandate: AutomaticPixTerms | null
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The payment page's side of payments (public: the random id in the link is the payer's access):
 * what a link pays, its latest intent, and starting one with what the payer gave.
 */
export class PaymentPageService {
  constructor(private readonly deps: { pool: Pool; requests: PaymentRequestService; intents: PaymentIntentService }) {}

  async find(kind: PayableOnPage['kind'], id: string): Promise<PayableOnPage | undefined> {
    if (!UUID.test(id)) return undefined
    if (kind === 'REQUEST') {
      const view = await this.deps.requests.forPage(id)
      if (!view) return undefined
      const { row } = view
      return {
        kind,
        id: row.id,
        clientId: row.clientId,
        path: `/pay/${row.id}`,
        amountCents: row.amountCents,
        description: row.description,
        recipientName: view.recipient?.name ?? null,
        callbackUrls: row.callbackUrls,
        intentInProgress: row.intentInProgress,
        dates: row.schedule ? scheduleDates(row.schedule) : [],
        mandate: row.automaticPix ? termsOf(row.automaticPix) : null,
      }
    }
    const bulk = await findBulkPaymentForPage(this.deps.pool, id.toLowerCase())
    if (!bulk) return undefined
    return {
      kind,
      id: bulk.id,
      clientId: bulk.clientId,
      path: `/pay/bulk/${bulk.id}`,
      amountCents: bulk.totalCents + bulk.feesCents,
      description: `${bulk.requests.length} payments`,
      recipientName: null,
      callbackUrls: bulk.callbackUrls,
      intentInProgress: bulk.intentInProgress,
      dates: [],
      mandate: null,
    }
  }

  latestIntent(payable: PayableOnPage): Promise<PaymentIntentRow | undefined> {
    return payable.kind === 'REQUEST' ? findLatestIntentOfRequest(this.deps.pool, payable.clientId, payable.id) : findLatestIntentOfBulk(this.deps.pool, payable.clientId, payable.id)
  }

  banks(): { id: number; name: string }[] {
    return this.deps.intents.payerBanks()
  }

  /** Starts the intent the payer asked for; a Refusal says why not, in a sentence for the payer. */
  async start(payable: PayableOnPage, form: { connectorId: number; cpf: string; cnpj?: string }): Promise<void> {
    const owner = payable.kind === 'REQUEST' ? { paymentRequestId: payable.id } : { bulkPaymentId: payable.id }
    await this.deps.intents.create(payable.clientId, { ...owner, connectorId: form.connectorId, parameters: { cpf: form.cpf, ...(form.cnpj ? { cnpj: form.cnpj } : {}) } }, undefined)
  }
}
