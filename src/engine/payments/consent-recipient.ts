import type { PaymentConsentRequest } from '../../connectors/sdk/payment-initiation.ts'
import type { PaymentRecipientRow } from '../../store/payments/payment-recipients.ts'

/** A recipient as a consent request names it to the payer's bank. */
export function consentRecipientOf(recipient: PaymentRecipientRow): PaymentConsentRequest['recipient'] {
  return {
    name: recipient.name,
    taxNumber: recipient.taxNumber,
    ispb: recipient.paymentInstitution.ispb,
    branch: recipient.account.branch,
    accountNumber: recipient.account.number,
    accountType: recipient.account.type,
    pixKey: recipient.pixKey,
  }
}
