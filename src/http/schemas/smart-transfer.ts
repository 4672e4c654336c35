import { z } from 'zod'
import { SMART_TRANSFER_PAYMENT_STATUSES, SMART_TRANSFER_PREAUTHORIZATION_STATUSES } from '../../domain/payments/statuses.ts'
import { Connector } from './connector.ts'
import { DateTime } from './date-time.ts'
import { pageOf } from './page.ts'
import { PaymentRecipient } from './payment-party.ts'

// Smart transfers as pluggy-sdk 0.90.0 declares them (types/payments/smartTransfers.d.ts).

export const SmartTransferRecipient = PaymentRecipient.pick({ id: true, name: true, taxNumber: true, isDefault: true, paymentInstitution: true, account: true, pixKey: true })

export const SmartTransferPreauthorization = z.strictObject({
  id: z.uuid(),
  status: z.enum(SMART_TRANSFER_PREAUTHORIZATION_STATUSES),
  consentUrl: z.string().nullable().describe('Where the payer authorizes the preauthorization at their bank'),
  clientPreauthorizationId: z.string().nullable(),
  callbackUrls: z.strictObject({ success: z.string().optional(), error: z.string().optional() }).nullable(),
  recipients: z.array(SmartTransferRecipient),
  connector: Connector,
  createdAt: DateTime,
  updatedAt: DateTime,
})
export type SmartTransferPreauthorization = z.infer<typeof SmartTransferPreauthorization>
export const SmartTransferPreauthorizationPage = pageOf(SmartTransferPreauthorization)

export const SmartTransferPayment = z.strictObject({
  id: z.uuid(),
  preauthorizationId: z.uuid(),
  status: z.enum(SMART_TRANSFER_PAYMENT_STATUSES),
  amount: z.number(),
  description: z.string().nullable(),
  recipient: SmartTransferRecipient,
  createdAt: DateTime,
  updatedAt: DateTime,
  clientPaymentId: z.string().nullable(),
})
export type SmartTransferPayment = z.infer<typeof SmartTransferPayment>

export const CreatePreauthorizationBody = z.object({
  connectorId: z.number().int(),
  parameters: z.record(z.string(), z.string().max(200)),
  recipientIds: z.array(z.string().max(100)).min(1).max(50),
  callbackUrls: z.object({ success: z.url().max(2000).optional(), error: z.url().max(2000).optional() }).optional(),
  clientPreauthorizationId: z.string().max(100).optional(),
})
export const CreateSmartTransferPaymentBody = z.object({
  preauthorizationId: z.string().max(100),
  recipientId: z.string().max(100),
  amount: z.number().positive().max(1_000_000_000),
  description: z.string().max(140).optional(),
  clientPaymentId: z.string().max(100).optional(),
})
