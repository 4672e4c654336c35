import type { PaymentCustomerRow } from '../store/payments/payment-parties.ts'
import type { HttpServices } from './http-types.ts'
import { presentPaymentCustomer } from './payment-presenters.ts'
import { presentConnector } from './presenters.ts'
import type { PaymentCustomer } from './schemas/payment-party.ts'

/** A payment customer with the connector it last paid with, presented as GET /connectors/{id} presents it. */
export async function presentCustomerWithConnector(services: HttpServices, row: PaymentCustomerRow, origin: string): Promise<PaymentCustomer> {
  const connector = row.connectorId === null ? undefined : services.connectors.get(row.connectorId)
  const health = connector ? { status: await services.connectorHealth.status(connector.id) } : null
  return presentPaymentCustomer(row, connector && health ? presentConnector(connector, services.startedAt, health, origin) : null)
}
