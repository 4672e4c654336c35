import type { CustomSandboxUser } from '../domain/sandbox-user-document.ts'
import type { ConnectorRegistry } from '../engine/connector-registry.ts'
import type { Cipher } from '../store/cipher.ts'
import type { Clock } from '../time/clock.ts'
import type { Database } from '../store/database.ts'
import { ConnectorService } from './connector-service.ts'
import { ConsentService } from './consent-service.ts'
import { DataService } from './data-service.ts'
import { EventService } from './event-service.ts'
import { HealthService } from './health-service.ts'
import { IdempotencyService } from './idempotency-service.ts'
import { createPaymentApiServices, type PaymentApiServices } from './payments/payment-api-services.ts'
import { PaymentIntentService } from './payments/payment-intent-service.ts'
import { PaymentPageService } from './payments/payment-page-service.ts'
import { PaymentPartyService } from './payments/payment-party-service.ts'
import { PaymentRequestService } from './payments/payment-request-service.ts'
import { SandboxService } from './sandbox-service.ts'
import { SandboxTransactionService } from './sandbox-transaction-service.ts'
import { SandboxUserService } from './sandbox-user-service.ts'
import { ProductService } from './product-service.ts'
import { StatementLinks } from './statement-links.ts'
import { WebhookService } from './webhook-service.ts'

/**
 * The application services the HTTP routes go through (besides the engine's ItemService): each
 * reads and writes the store for one concern, scoped to the calling client.
 */
export interface ApiServices extends PaymentApiServices {
  connectorHealth: ConnectorService
  consents: ConsentService
  data: DataService
  events: EventService
  idempotency: IdempotencyService
  paymentParties: PaymentPartyService
  paymentRequests: PaymentRequestService
  paymentIntents: PaymentIntentService
  paymentPages: PaymentPageService
  probes: HealthService
  products: ProductService
  webhooks: WebhookService
  sandbox: SandboxService
  sandboxTransactions: SandboxTransactionService
  sandboxUsers: SandboxUserService
}

/** `linkSecret` signs account-statement links; every API process of a deployment must share it. */
export function createApiServices(deps: {
  db: Database
  clock: Clock
  webhookAllowPrivate: boolean
  linkSecret: string
  connectors: ConnectorRegistry
  /** TRIBUTARY_SANDBOX_CONTROL: the sandbox control API answers. */
  sandboxControl: boolean
  /** TRIBUTARY_SANDBOX_USERS_FILE's custom sandbox users. */
  sandboxUsers?: readonly CustomSandboxUser[]
  /** Runs a scheduler pass now, where a scheduler runs (a sandbox clock advance made work due). */
  wakeScheduler?: () => void
  /** Encrypts what payers give to identify themselves at their bank (an intent's parameters). */
  cipher: Cipher
  /** The address payers' browsers reach this server at (a payment request's paymentUrl). */
  publicUrl: () => string
}): ApiServices {
  const pool = deps.db.pool
  const paymentRequests = new PaymentRequestService({ pool, clock: deps.clock, publicUrl: deps.publicUrl })
  const paymentIntents = new PaymentIntentService({ pool, clock: deps.clock, cipher: deps.cipher, connectors: deps.connectors, requests: paymentRequests })
  const sandbox = new SandboxService(pool, deps.clock, deps.connectors, deps.sandboxControl, deps.wakeScheduler)
  return {
    ...createPaymentApiServices({ pool, clock: deps.clock, cipher: deps.cipher, connectors: deps.connectors, publicUrl: deps.publicUrl }),
    connectorHealth: new ConnectorService(pool, deps.clock),
    consents: new ConsentService(pool),
    data: new DataService(pool),
    events: new EventService(pool),
    idempotency: new IdempotencyService(pool, deps.clock),
    paymentParties: new PaymentPartyService(pool, deps.clock),
    paymentRequests,
    paymentIntents,
    paymentPages: new PaymentPageService({ pool, requests: paymentRequests, intents: paymentIntents }),
    probes: new HealthService(pool),
    products: new ProductService(pool, deps.clock, new StatementLinks(deps.linkSecret)),
    webhooks: new WebhookService(pool, deps.clock, deps.webhookAllowPrivate),
    sandbox,
    sandboxTransactions: new SandboxTransactionService(pool, deps.clock, sandbox),
    sandboxUsers: new SandboxUserService(pool, deps.clock, sandbox, deps.sandboxUsers ?? []),
  }
}
