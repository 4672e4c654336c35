import { z } from 'zod'
import { AUTOMATIC_PIX_INTERVALS } from '../../domain/payments/automatic-pix.ts'
import { DAYS_OF_WEEK } from '../../domain/payments/calendar-date.ts'
import { PAYMENT_REQUEST_STATUSES } from '../../domain/payments/statuses.ts'
import { DateTime } from './date-time.ts'
import { PaymentCustomer, PaymentRecipient } from './payment-party.ts'

// A payment request as pluggy-sdk 0.90.0 declares it (types/payments/paymentRequest.d.ts): what
// bulk payments list and what createPaymentRequestPixAutomatico answers.

export const CallbackUrls = z.strictObject({ success: z.string().optional(), error: z.string().optional(), pending: z.string().optional() })

/** A day as the client's string-typed dates are written (`YYYY-MM-DD`: the client's reviver leaves it a string). */
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)

export const PaymentRequestSchedule = z.union([
  z.strictObject({ type: z.literal('SINGLE'), date: Day }),
  z.strictObject({ type: z.literal('DAILY'), startDate: Day, occurrences: z.number().int() }),
  z.strictObject({ type: z.literal('WEEKLY'), startDate: Day, occurrences: z.number().int(), dayOfWeek: z.enum(DAYS_OF_WEEK) }),
  z.strictObject({ type: z.literal('MONTHLY'), startDate: Day, occurrences: z.number().int(), dayOfMonth: z.number().int() }),
  z.strictObject({ type: z.literal('CUSTOM'), dates: z.array(Day), additionalInformation: z.string().optional() }),
])

const FirstPayment = z.strictObject({ date: Day.optional(), amount: z.number(), description: z.string().optional() })

export const AutomaticPixDetails = z.strictObject({
  interval: z.enum(AUTOMATIC_PIX_INTERVALS),
  startDate: Day,
  fixedAmount: z.number().optional(),
  minimumVariableAmount: z.number().optional(),
  maximumVariableAmount: z.number().optional(),
  expiresAt: Day.optional(),
  isRetryAccepted: z.boolean().optional(),
  firstPayment: FirstPayment.optional(),
})
export type AutomaticPixDetails = z.infer<typeof AutomaticPixDetails>

const requestFields = {
  id: z.uuid(),
  paymentUrl: z.string().describe('Where the payer completes the payment (Tributary’s payment page)'),
  description: z.string().nullable(),
  status: z.enum(PAYMENT_REQUEST_STATUSES),
  callbackUrls: CallbackUrls.nullable(),
  bulkPaymentId: z.uuid().nullable(),
  recipient: PaymentRecipient.nullable(),
  customer: PaymentCustomer.nullable(),
  fees: z.number().nullable(),
  schedule: PaymentRequestSchedule.nullable(),
  automaticPix: AutomaticPixDetails.nullable(),
  createdAt: DateTime,
  updatedAt: DateTime,
  clientPaymentId: z.string().nullable(),
  isSandbox: z.boolean(),
}

export const PaymentRequest = z.strictObject({ ...requestFields, amount: z.number() })
export type PaymentRequest = z.infer<typeof PaymentRequest>
/** A Pix Automático authorization carries no amount of its own: its payments carry theirs. */
export const PaymentRequestAutomaticPix = z.strictObject(requestFields)
export type PaymentRequestAutomaticPix = z.infer<typeof PaymentRequestAutomaticPix>

const amount = z.number().positive().max(1_000_000_000)
const CallbackUrlsBody = z.object({ success: z.url().max(2000).optional(), error: z.url().max(2000).optional(), pending: z.url().max(2000).optional() })

export const CreateAutomaticPixBody = z.object({
  description: z.string().max(140).optional(),
  recipientId: z.string().max(100).optional(),
  customerId: z.string().max(100).optional(),
  callbackUrls: CallbackUrlsBody.optional(),
  clientPaymentId: z.string().max(100).optional(),
  isSandbox: z.boolean(),
  interval: z.string().max(20),
  startDate: z.string().max(40),
  fixedAmount: amount.optional(),
  minimumVariableAmount: amount.optional(),
  maximumVariableAmount: amount.optional(),
  expiresAt: z.string().max(40).optional(),
  isRetryAccepted: z.boolean().optional(),
  firstPayment: z.object({ date: z.string().max(40).optional(), amount, description: z.string().max(140).optional() }).optional(),
  schedulerConfiguration: z.object({ enabled: z.boolean(), description: z.string().max(140).optional(), valueForVariableAmount: amount.optional() }).optional(),
})
export type CreateAutomaticPixBody = z.infer<typeof CreateAutomaticPixBody>
