import type { Clock } from '../time/clock.ts'
import type { Database } from '../store/database.ts'
import { ConnectorService } from './connector-service.ts'
import { DataService } from './data-service.ts'
import { EventService } from './event-service.ts'
import { HealthService } from './health-service.ts'
import { IdempotencyService } from './idempotency-service.ts'
import { PaymentPartyService } from './payments/payment-party-service.ts'
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
  webhooks: WebhookService
}

export function createApiServices(deps: { db: Database; clock: Clock; webhookAllowPrivate: boolean }): ApiServices {
  const pool = deps.db.pool
  return {
    connectorHealth: new ConnectorService(pool, deps.clock),
    data: new DataService(pool),
    events: new EventService(pool),
    idempotency: new IdempotencyService(pool, deps.clock),
    paymentParties: new PaymentPartyService(pool, deps.clock),
    probes: new HealthService(pool),
    webhooks: new WebhookService(pool, deps.clock, deps.webhookAllowPrivate),
  }
}
