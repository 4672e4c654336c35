/** The PAYMENT_DATA product: the payment data of the transactions that are transfers or bill payments. */
import type { CollectedPaymentData, CollectedTransaction } from '../../sdk/index.ts'

export function generatePaymentData(transactions: readonly CollectedTransaction[]): CollectedPaymentData[] {
  const out: CollectedPaymentData[] = []
  for (const tx of transactions) {
    if (tx.providerId && tx.paymentData) out.push({ transactionProviderId: tx.providerId, paymentData: tx.paymentData })
  }
  return out
}
