import type { Clock } from '../time/clock.ts'
import type { Database } from '../store/database.ts'
import { ConnectorService } from './connector-service.ts'
import { DataService } from './data-service.ts'
import { EventService } from './event-service.ts'
import { HealthService } from './health-service.ts'
import { IdempotencyService } from './idempotency-service.ts'
import { PaymentPartyService } from './payments/payment-party-service.ts'
import { ProductService } from './product-service.ts'
import { StatementLinks } from './statement-links.ts'
import { WebhookService } from './webhook-service.ts'

/**
 * The application services the HTTP routes go through (besides the engine's ItemService): each
 * reads and writes the store for one concern, scoped to the calling client.
 */
export interface ApiServices {
  connectorHealth: ConnectorService
  data: DataService
  events: EventService
  idempotency: IdempotencyService
  paymentParties: PaymentPartyService
  probes: HealthService
  products: ProductService
  webhooks: WebhookService
}

/** `linkSecret` signs account-statement links; every API process of a deployment must share it. */
export function createApiServices(deps: { db: Database; clock: Clock; webhookAllowPrivate: boolean; linkSecret: string }): ApiServices {
  const pool = deps.db.pool
  return {
    connectorHealth: new ConnectorService(pool, deps.clock),
    data: new DataService(pool),
    events: new EventService(pool),
    idempotency: new IdempotencyService(pool, deps.clock),
    paymentParties: new PaymentPartyService(pool, deps.clock),
    probes: new HealthService(pool),
    products: new ProductService(pool, deps.clock, new StatementLinks(deps.linkSecret)),
    webhooks: new WebhookService(pool, deps.clock, deps.webhookAllowPrivate),
  }
}
