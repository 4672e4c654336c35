/**
 * What every route module shares: the app's type, who may call a route, what a request carries
 * once authenticated, and the services routes reach the rest of Tributary through. Route modules
 * import this, never app.ts (which imports them), so no module of http/ imports back its importer.
 */
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { DashboardSessions } from '../dashboard/dashboard-session.ts'
import type { Clock } from '../time/clock.ts'
import type { ConnectorRegistry } from '../engine/connector-registry.ts'
import type { ItemService } from '../engine/item-service.ts'
import type { UserAuthorizationService } from '../engine/user-authorization-service.ts'
import type { Metrics } from '../observability/metrics.ts'
import type { ApiServices } from '../services/api-services.ts'
import type { Principal, TokenAuthority } from './auth.ts'
import type { RateLimiter } from './rate-limit.ts'

/** Who may call a route: anyone, a client's API key, or also a connect token (SPEC §3.1). */
export type Access = 'public' | 'api' | 'connect'

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access
    /** The route takes an Idempotency-Key header (src/http/idempotency.ts). */
    idempotent?: boolean
  }
  interface FastifyRequest {
    principal: Principal | null
    /** The Idempotency-Key this request claimed, until its answer is kept. */
    idempotencyKey: string | null
  }
  interface FastifyInstance {
    /** Every route the app serves, for tests that must cover them all. */
    routeList: { method: string; url: string; access: Access }[]
  }
}

export type App = FastifyInstance<any, any, any, any, ZodTypeProvider>

/** What the routes use: the application services (they alone read and write the store) and the HTTP layer's own parts. */
export interface HttpServices extends ApiServices {
  /** Item lifecycle operations: create, update, MFA, delete (src/engine/item-service.ts). */
  items: ItemService
  /** Open Finance: returns from institutions' authorization pages (GET /oauth/callback). */
  userAuthorizations: UserAuthorizationService
  connectors: ConnectorRegistry
  tokens: TokenAuthority
  clock: Clock
  /** True when the client exists, is not revoked, and the secret matches (compared in constant time). */
  authenticateClient(clientId: string, clientSecret: string): Promise<boolean>
  startedAt: Date
  /** How often long-polling readers (the event stream) look for new rows. */
  pollIntervalMs: number
  limits: { auth: RateLimiter; itemUpdate: RateLimiter; itemCreate: RateLimiter }
  metrics?: Metrics
  /** The client whose connect tokens GET /connect/demo hands out; null or unset: no demo (production). */
  demoClientId?: string | null
  /** Origins allowed to embed /connect in an iframe (CSP frame-ancestors), besides the server's own. */
  connectFrameAncestors?: readonly string[]
  /** The developer dashboard's sessions; null or unset: no dashboard (production unless TRIBUTARY_DASHBOARD=true). */
  dashboardSessions?: DashboardSessions | null
}
