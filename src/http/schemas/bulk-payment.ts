import { z } from 'zod'
import { BULK_PAYMENT_STATUSES } from '../../domain/payments/statuses.ts'
import { DateTime } from './date-time.ts'
import { pageOf } from './page.ts'
import { PaymentRequest } from './payment-request.ts'
import { SmartAccount } from './smart-account.ts'

// Bulk payments as pluggy-sdk 0.90.0 declares them (types/payments/bulkPayment.d.ts).

export const BulkPayment = z.strictObject({
  id: z.uuid(),
  status: z.enum(BULK_PAYMENT_STATUSES),
  referenceId: z.string().nullable(),
  createdAt: DateTime,
  updatedAt: DateTime,
  totalAmount: z.number().describe('The requests’ sum'),
  paymentUrl: z.string().describe('Where the payer tops the smart account up (Tributary’s payment page)'),
  paymentRequests: z.array(PaymentRequest),
  smartAccount: SmartAccount,
  feesAmount: z.number(),
  grossAmount: z.number().describe('What the payer tops up: the requests’ sum plus fees'),
  callbackUrls: z.strictObject({ success: z.string().optional(), error: z.string().optional(), pending: z.string().optional() }).nullable(),
})
export type BulkPayment = z.infer<typeof BulkPayment>
export const BulkPaymentPage = pageOf(BulkPayment)

const CallbackUrlsBody = z.object({ success: z.url().max(2000).optional(), error: z.url().max(2000).optional(), pending: z.url().max(2000).optional() })

export const CreateBulkPaymentBody = z.object({
  smartAccountId: z.string().max(100),
  paymentRequestIds: z.array(z.string().max(100)).min(1).max(500),
  callbackUrls: CallbackUrlsBody.optional(),
})
