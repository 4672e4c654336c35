import type { PaymentCustomerRow, PaymentInstitutionRow } from '../store/payments/payment-parties.ts'
import type { PaymentRecipientRow } from '../store/payments/payment-recipients.ts'
import type { Connector } from './schemas/connector.ts'
import type { PaymentCustomer, PaymentInstitution, PaymentRecipient } from './schemas/payment-party.ts'

export function presentPaymentInstitution(row: PaymentInstitutionRow): PaymentInstitution {
  return { id: row.id, name: row.name, tradeName: row.tradeName, ispb: row.ispb, compe: row.compe, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() }
}

export function presentPaymentCustomer(row: PaymentCustomerRow, connector: Connector | null): PaymentCustomer {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    cpf: row.cpf,
    cnpj: row.cnpj,
    type: row.type as PaymentCustomer['type'],
    connector,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

export function presentPaymentRecipient(row: PaymentRecipientRow): PaymentRecipient {
  return {
    id: row.id,
    name: row.name,
    taxNumber: row.taxNumber,
    isDefault: row.isDefault,
    paymentInstitution: presentPaymentInstitution(row.paymentInstitution),
    account: row.account,
    pixKey: row.pixKey,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}
