import { z } from 'zod'
import { AUTOMATIC_PIX_INTERVALS } from '../../domain/payments/automatic-pix.ts'
import { DAYS_OF_WEEK } from '../../domain/payments/calendar-date.ts'
import { BULK_PAYMENT_STATUSES, PAYMENT_INTENT_STATUSES, PAYMENT_REQUEST_STATUSES } from '../../domain/payments/statuses.ts'
import { Connector } from './connector.ts'
import { DateTime } from './date-time.ts'
import { pageOf } from './page.ts'
import { PaymentCustomer, PaymentRecipient } from './payment-party.ts'

// Payment requests and intents as pluggy-sdk 0.90.0 declares them (types/payments/paymentRequest.d.ts,
// paymentIntent.d.ts). Dates the client types declare as strings are written YYYY-MM-DD.

const CalendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date written YYYY-MM-DD')

export const PaymentRequestSchedule = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('SINGLE'), date: CalendarDate }),
  z.strictObject({ type: z.literal('DAILY'), startDate: CalendarDate, occurrences: z.number().int() }),
  z.strictObject({ type: z.literal('WEEKLY'), startDate: CalendarDate, occurrences: z.number().int(), dayOfWeek: z.enum(DAYS_OF_WEEK) }),
  z.strictObject({ type: z.literal('MONTHLY'), startDate: CalendarDate, occurrences: z.number().int(), dayOfMonth: z.number().int() }),
  z.strictObject({ type: z.literal('CUSTOM'), dates: z.array(CalendarDate).max(100), additionalInformation: z.string().max(1000).optional() }),
])
export type PaymentRequestSchedule = z.infer<typeof PaymentRequestSchedule>

export const AutomaticPixDetails = z.strictObject({
  interval: z.enum(AUTOMATIC_PIX_INTERVALS),
  startDate: CalendarDate,
  fixedAmount: z.number().optional(),
  minimumVariableAmount: z.number().optional(),
  maximumVariableAmount: z.number().optional(),
  expiresAt: CalendarDate.optional(),
  isRetryAccepted: z.boolean().optional(),
  firstPayment: z.strictObject({ date: CalendarDate.optional(), amount: z.number(), description: z.string().optional() }).optional(),
})
export type AutomaticPixDetails = z.infer<typeof AutomaticPixDetails>

export const CallbackUrls = z.strictObject({ success: z.string().optional(), error: z.string().optional() })

export const PaymentRequest = z.strictObject({
  id: z.uuid(),
  paymentUrl: z.string().describe('Tributary’s payment page for this request, where the payer chooses their bank'),
  amount: z.number(),
  description: z.string().nullable(),
  status: z.enum(PAYMENT_REQUEST_STATUSES),
  callbackUrls: CallbackUrls.nullable(),
  bulkPaymentId: z.string().nullable(),
  recipient: PaymentRecipient.nullable(),
  customer: PaymentCustomer.nullable(),
  fees: z.number().nullable(),
  schedule: PaymentRequestSchedule.nullable(),
  automaticPix: AutomaticPixDetails.nullable(),
  createdAt: DateTime,
  updatedAt: DateTime,
  clientPaymentId: z.string().nullable(),
  isSandbox: z.boolean(),
})
export type PaymentRequest = z.infer<typeof PaymentRequest>
export const PaymentRequestPage = pageOf(PaymentRequest)

/** A callback URL the payment page sends the payer back to: an absolute http(s) URL. */
const CallbackUrl = z.url({ protocol: /^https?$/ }).max(2000)

export const CreatePaymentRequestBody = z.object({
  amount: z.number(),
  callbackUrls: z.object({ success: CallbackUrl.optional(), error: CallbackUrl.optional(), pending: CallbackUrl.optional() }).optional(),
  description: z.string().max(500).optional(),
  recipientId: z.string().max(100).optional(),
  customerId: z.string().max(100).optional(),
  schedule: z
    .object({ type: z.enum(['SINGLE', 'DAILY', 'WEEKLY', 'MONTHLY', 'CUSTOM']) })
    .passthrough()
    .optional(),
  smartAccountId: z.string().max(100).optional(),
  clientPaymentId: z.string().max(200).optional(),
  isSandbox: z.boolean().optional(),
})
export type CreatePaymentRequestBody = z.infer<typeof CreatePaymentRequestBody>

export const PaymentRequestsQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(20),
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
})

/** A bulk payment as an intent names it: without its smart account and its requests. */
export const BulkPaymentSummary = z.strictObject({
  id: z.uuid(),
  status: z.enum(BULK_PAYMENT_STATUSES),
  referenceId: z.string().nullable(),
  createdAt: DateTime,
  updatedAt: DateTime,
  totalAmount: z.number(),
  paymentUrl: z.string(),
  feesAmount: z.number(),
  grossAmount: z.number(),
  callbackUrls: z.strictObject({ success: z.string().optional(), error: z.string().optional(), pending: z.string().optional() }).nullable(),
})
export type BulkPaymentSummary = z.infer<typeof BulkPaymentSummary>

export const PaymentIntent = z.strictObject({
  id: z.uuid(),
  connector: Connector.nullable(),
  consentUrl: z.string().nullable(),
  pixData: z.strictObject({ qr: z.string(), value: z.string() }).nullable(),
  paymentRequest: PaymentRequest.nullable(),
  bulkPayment: BulkPaymentSummary.nullable(),
  status: z.enum(PAYMENT_INTENT_STATUSES),
  createdAt: DateTime,
  updatedAt: DateTime,
})
export type PaymentIntent = z.infer<typeof PaymentIntent>
export const PaymentIntentPage = pageOf(PaymentIntent)

export const CreatePaymentIntentBody = z.object({
  paymentRequestId: z.string().max(100).optional(),
  bulkPaymentId: z.string().max(100).optional(),
  connectorId: z.number().int().optional(),
  parameters: z.object({ cpf: z.string().max(30).optional(), cnpj: z.string().max(30).optional() }).optional(),
  paymentMethod: z.string().max(20).optional(),
})
export type CreatePaymentIntentBody = z.infer<typeof CreatePaymentIntentBody>
