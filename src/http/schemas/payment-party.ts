import { z } from 'zod'
import { BANK_ACCOUNT_TYPES } from '../../domain/payments/bank-account.ts'
import { Connector } from './connector.ts'
import { DateTime } from './date-time.ts'
import { pageOf } from './page.ts'

// The parties of payments as pluggy-sdk 0.90.0 declares them (types/payments/*.d.ts).

export const PAYMENT_CUSTOMER_TYPES = ['INDIVIDUAL', 'BUSINESS'] as const

export const PaymentInstitution = z.strictObject({
  id: z.string(),
  name: z.string(),
  tradeName: z.string(),
  ispb: z.string(),
  compe: z.string().nullable(),
  createdAt: DateTime,
  updatedAt: DateTime,
})
export type PaymentInstitution = z.infer<typeof PaymentInstitution>
export const PaymentInstitutionPage = pageOf(PaymentInstitution)

export const PaymentCustomer = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  email: z.string().nullable(),
  cpf: z.string().nullable(),
  cnpj: z.string().nullable(),
  type: z.enum(PAYMENT_CUSTOMER_TYPES),
  connector: Connector.nullable(),
  createdAt: DateTime,
  updatedAt: DateTime,
})
export type PaymentCustomer = z.infer<typeof PaymentCustomer>
export const PaymentCustomerPage = pageOf(PaymentCustomer)

const Account = z.strictObject({ type: z.enum(BANK_ACCOUNT_TYPES), number: z.string(), branch: z.string() })

export const PaymentRecipient = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  taxNumber: z.string(),
  isDefault: z.boolean(),
  paymentInstitution: PaymentInstitution,
  account: Account,
  pixKey: z.string().nullable().describe('The Pix key the recipient was created with (an extension)'),
  createdAt: DateTime,
  updatedAt: DateTime,
})
export type PaymentRecipient = z.infer<typeof PaymentRecipient>
export const PaymentRecipientPage = pageOf(PaymentRecipient)

const text = (max: number) => z.string().trim().min(1).max(max)
const AccountBody = z.object({ type: z.string().max(40), number: z.string().max(40), branch: z.string().max(20) })

export const CreatePaymentCustomerBody = z.object({
  name: text(200),
  email: z.email().max(200).nullish(),
  cpf: z.string().max(30).nullish(),
  cnpj: z.string().max(30).nullish(),
  type: z.enum(PAYMENT_CUSTOMER_TYPES),
})
export const UpdatePaymentCustomerBody = CreatePaymentCustomerBody.partial()

export const CreatePaymentRecipientBody = z.union([
  z.object({ name: text(200), taxNumber: z.string().max(30), paymentInstitutionId: z.string().max(100), isDefault: z.boolean().optional(), account: AccountBody }),
  z.object({ pixKey: z.string().max(100) }),
  z.object({ smartAccountId: z.string().max(100) }),
])
export const UpdatePaymentRecipientBody = z.object({ name: text(200), taxNumber: z.string().max(30), isDefault: z.boolean().optional(), account: AccountBody.optional() })
