import type { PaymentCustomerRow } from '../store/payments/payment-parties.ts'
import type { HttpServices } from './http-types.ts'
import { presentPaymentCustomer } from './payment-presenters.ts'
import { presentConnector } from './presenters.ts'
import type { Connector } from './schemas/connector.ts'
import type { PaymentCustomer } from './schemas/payment-party.ts'

/** Presents a payment's connector (a customer's last one, a preauthorization's) as GET /connectors/{id} does; null for none. */
export function connectorPresenter(services: HttpServices, origin: string): (connectorId: number | null) => Promise<Connector | null> {
  return async (connectorId) => {
    const connector = connectorId === null ? undefined : services.connectors.get(connectorId)
    if (!connector) return null
    return presentConnector(connector, services.startedAt, { status: await services.connectorHealth.status(connector.id) }, origin)
  }
}

/** A payment customer with the connector it last paid with. */
export async function presentCustomerWithConnector(services: HttpServices, row: PaymentCustomerRow, origin: string): Promise<PaymentCustomer> {
  return presentPaymentCustomer(row, await connectorPresenter(services, origin)(row.connectorId))
}
