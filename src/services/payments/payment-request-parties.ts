import type { FieldProblem } from '../../domain/payments/field-problem.ts'
import type { Queryable } from '../../store/database.ts'
import { findPaymentCustomer } from '../../store/payments/payment-parties.ts'
import { findDefaultPaymentRecipient, findPaymentRecipient } from '../../store/payments/payment-recipients.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The recipient and customer a new request names: the given recipient (or the client's default
 * one when none is given) and the given customer, each the client's. What is wrong is added to
 * `problems`, naming the field.
 */
export async function requestParties(
  db: Queryable,
  clientId: string,
  body: { recipientId?: string; customerId?: string },
  problems: FieldProblem[],
): Promise<{ recipientId: string | null; customerId: string | null }> {
  let recipientId: string | null = null
  if (body.recipientId !== undefined) {
    const recipient = UUID.test(body.recipientId) ? await findPaymentRecipient(db, clientId, body.recipientId.toLowerCase()) : undefined
    if (recipient) recipientId = recipient.id
    else problems.push({ field: 'recipientId', message: `recipientId ${body.recipientId} is not a payment recipient of this client; list them with GET /payments/recipients.` })
  } else {
    const fallback = await findDefaultPaymentRecipient(db, clientId)
    if (fallback) recipientId = fallback.id
    else problems.push({ field: 'recipientId', message: 'recipientId is required: this client has no default recipient (create one with isDefault: true, or give recipientId).' })
  }
  let customerId: string | null = null
  if (body.customerId !== undefined) {
    const customer = UUID.test(body.customerId) ? await findPaymentCustomer(db, clientId, body.customerId.toLowerCase()) : undefined
    if (customer) customerId = customer.id
    else problems.push({ field: 'customerId', message: `customerId ${body.customerId} is not a payment customer of this client; list them with GET /payments/customers.` })
  }
  return { recipientId, customerId }
}
