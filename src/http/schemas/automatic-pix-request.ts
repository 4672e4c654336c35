import { z } from 'zod'
import { PaymentRequest } from './payment-request.ts'

// What createPaymentRequestPixAutomatico takes and answers (types/payments/paymentRequest.d.ts).

/** A Pix Automático authorization carries no amount of its own: its payments carry theirs. */
export const PaymentRequestAutomaticPix = PaymentRequest.omit({ amount: true })
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
