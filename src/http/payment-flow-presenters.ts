import { fromCents } from '../domain/payments/money.ts'
import type { BulkPaymentView } from '../services/payments/bulk-payment-service.ts'
import type { SmartAccountRow } from '../services/payments/smart-account-service.ts'
import type { PreauthorizationView, SmartTransferPaymentView } from '../services/payments/smart-transfer-service.ts'
import type { AutomaticPixPaymentRow } from '../store/payments/automatic-pix-payments.ts'
import type { PaymentRecipientRow } from '../store/payments/payment-recipients.ts'
import type { ScheduledPaymentRow } from '../store/payments/scheduled-payments.ts'
import { presentPaymentRecipient } from './payment-presenters.ts'
import type { BulkPayment } from './schemas/bulk-payment.ts'
import type { Connector } from './schemas/connector.ts'
import type { AutomaticPixPayment, SchedulePayment } from './schemas/dated-payment.ts'
import type { PaymentRequest } from './schemas/payment-request.ts'
import type { SmartAccount, SmartAccountBalance } from './schemas/smart-account.ts'
import type { SmartTransferPayment, SmartTransferPreauthorization } from './schemas/smart-transfer.ts'

// The answers of methods 20–43 (docs/payments.md): amounts in reais, instants with milliseconds
// (the client turns them into Dates), days as YYYY-MM-DD (the client keeps them strings).

export function presentSmartAccount(row: SmartAccountRow): SmartAccount {
  return { id: row.id, agency: row.agency, number: row.number, verifyingDigit: row.verifyingDigit, type: 'CHECKING_ACCOUNT', isSandbox: row.isSandbox }
}

export function presentSmartAccountBalance(row: SmartAccountRow): SmartAccountBalance {
  return {
    // The client declares a string: without milliseconds, its JSON reviver leaves the instant one.
    lastUpdatedAt: row.balanceUpdatedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    balance: fromCents(Number(row.balanceCents)),
    blockedBalance: fromCents(Number(row.blockedCents)),
    scheduledBalance: fromCents(Number(row.scheduledCents)),
  }
}

export function presentBulkPayment(view: BulkPaymentView, requests: PaymentRequest[]): BulkPayment {
  const { bulk } = view
  // As an intent's bulkPayment shows them: the requests' sum, and the gross the payer tops up (sum plus fees).
  const gross = Number(bulk.totalCents)
  const fees = Number(bulk.feesCents)
  return {
    id: bulk.id,
    status: bulk.status,
    referenceId: bulk.referenceId,
    createdAt: bulk.createdAt.toISOString(),
    updatedAt: bulk.updatedAt.toISOString(),
    totalAmount: fromCents(gross),
    paymentUrl: view.paymentUrl,
    paymentRequests: requests,
    smartAccount: presentSmartAccount(view.smartAccount),
    feesAmount: fromCents(fees),
    grossAmount: fromCents(gross + fees),
    callbackUrls: bulk.callbackUrls,
  }
}

export function presentSchedulePayment(row: ScheduledPaymentRow): SchedulePayment {
  return { id: row.id, status: row.status, scheduledDate: row.scheduledDate, description: row.description }
}

export function presentAutomaticPixPayment(row: AutomaticPixPaymentRow): AutomaticPixPayment {
  const error = row.error === null ? null : { code: row.error.code, description: row.error.description, ...(row.error.detail ? { detail: row.error.detail } : {}) }
  return {
    id: row.id,
    status: row.status,
    amount: fromCents(Number(row.amountCents)),
    ...(row.description === null ? {} : { description: row.description }),
    date: row.date,
    ...(row.endToEndId === null ? {} : { endToEndId: row.endToEndId }),
    errorDetail: error,
  }
}

function presentSmartTransferRecipient(row: PaymentRecipientRow): SmartTransferPayment['recipient'] {
  const { id, name, taxNumber, isDefault, paymentInstitution, account, pixKey } = presentPaymentRecipient(row)
  return { id, name, taxNumber, isDefault, paymentInstitution, account, pixKey }
}

export function presentPreauthorization(view: PreauthorizationView, connector: Connector): SmartTransferPreauthorization {
  const p = view.preauthorization
  const { success, error } = p.callbackUrls ?? {}
  return {
    id: p.id,
    status: p.status,
    // Empty until the engine created the consent at the payer's bank (smart-transfer-service.ts).
    consentUrl: p.consentUrl === '' ? null : p.consentUrl,
    clientPreauthorizationId: p.clientPreauthorizationId,
    callbackUrls: p.callbackUrls === null ? null : { ...(success ? { success } : {}), ...(error ? { error } : {}) },
    recipients: view.recipients.map(presentSmartTransferRecipient),
    connector,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  }
}

export function presentSmartTransferPayment(view: SmartTransferPaymentView): SmartTransferPayment {
  const { payment } = view
  return {
    id: payment.id,
    preauthorizationId: payment.preauthorizationId,
    status: payment.status,
    amount: fromCents(Number(payment.amountCents)),
    description: payment.description,
    recipient: presentSmartTransferRecipient(view.recipient),
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
    clientPaymentId: payment.clientPaymentId,
  }
}
