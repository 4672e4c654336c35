import http from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'
import type pino from 'pino'
import type { Config } from '../config.ts'
import { systemClock, type Clock, type Timer } from '../time/clock.ts'
import type { Metrics } from '../observability/metrics.ts'
import type { Cipher } from '../store/cipher.ts'
import { findActiveClient } from '../store/clients.ts'
import type { Database } from '../store/database.ts'
import { DuePass } from '../time/due-pass.ts'
import { claimDueDeliveries, nextDeliveryDueAt, saveDeliveryResults, type ClaimedDelivery, type DeliveryResult } from '../store/webhooks.ts'
import { SIGNATURE_HEADER, signWebhookBody } from './signature.ts'
import { resolveDeliveryAddress } from './webhook-url.ts'

export const DELIVERY_TIMEOUT_MS = 10_000
/** At most this much of a receiver's error answer is kept in the delivery log. */
const MAX_ERROR_LENGTH = 300

// Receivers are few and busy: reuse connections instead of opening one per delivery.
const agents = { 'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }), 'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }) }

export interface PostResult {
  status: number | null
  error: string | null
  latencyMs: number
}

/**
 * POSTs a JSON body to a receiver: no redirects followed, a 10 s limit on `clock` (the engine's;
 * default the system clock), and (unless private targets are allowed) only to the public address
 * that was checked, so DNS cannot swap it.
 */
export async function postJson(url: string, body: string, headers: Record<string, string>, options: { allowPrivate: boolean; timeoutMs?: number; clock?: Clock }): Promise<PostResult> {
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  try {
    const target = new URL(url)
    const resolved = await resolveDeliveryAddress(target, options.allowPrivate)
    const lookup: LookupFunction = (_host, opts, callback) => (opts?.all ? (callback as any)(null, [resolved]) : callback(null, resolved.address, resolved.family))
    const client = target.protocol === 'https:' ? https : http
    const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS
    let timeout: Timer | undefined
    const status = await new Promise<number>((resolve, reject) => {
      const request = client.request(
        target,
        {
          method: 'POST',
          lookup,
          agent: agents[target.protocol as 'http:' | 'https:'],
          headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'Tributary-Webhooks/1' },
        },
        (response) => {
          response.resume() // the answer's body is not needed; drain it so the socket is freed
          response.on('end', () => resolve(response.statusCode ?? 0))
          response.on('error', reject)
        },
      )
      // The whole exchange, answer included, is a timer of the engine's clock like every other wait:
      // a test moves a ManualClock past it instead of waiting 10 s (and moving the clock that far
      // while a delivery is in flight cuts it, as that much time passing would).
      timeout = (options.clock ?? systemClock).setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs)
      request.on('error', reject)
      request.end(body)
    }).finally(() => timeout?.cancel())
    const ok = status >= 200 && status < 300
    return { status, error: ok ? null : status >= 300 && status < 400 ? `answered a redirect (${status}); redirects are not followed` : `answered ${status}`, latencyMs: elapsed() }
  } catch (error) {
    return { status: null, error: String((error as Error).message ?? error).slice(0, MAX_ERROR_LENGTH), latencyMs: elapsed() }
  }
}

export interface WebhookSenderDeps {
  db: Database
  cipher: Cipher
  clock: Clock
  logger: pino.Logger
  config: Pick<Config, 'webhookRetryBaseSeconds' | 'webhookMaxAttempts' | 'webhookAllowPrivate'>
  metrics?: Metrics
}

/** Deliveries one sender claims and sends at once. */
const BATCH = 200
/** A claim lasts this long; a sender that dies mid-batch releases its deliveries when it expires. */
const CLAIM_MS = DELIVERY_TIMEOUT_MS * 3

/**
 * Sends pending webhook deliveries: a pass claims a batch of due heads (per item and URL, the
 * oldest pending delivery), POSTs them concurrently, saves the outcomes, and goes on until nothing
 * is due. A pass runs when the queue's `deliver-webhooks` job wakes it (every committed event
 * does), at the time the next retry is due, and periodically (the durable fallback: a retry
 * scheduled by a process that died is found by another's pass). One pass runs at a time per
 * process; a wake-up during a pass makes it look again before it stops.
 */
export class WebhookSender {
  private readonly secrets = new Map<string, { secret: string | null; readAt: number }>()
  private readonly passes: DuePass

  constructor(private readonly deps: WebhookSenderDeps) {
    const everyMs = Math.min(10_000, Math.max(250, (deps.config.webhookRetryBaseSeconds * 1000) / 2))
    this.passes = new DuePass({ name: 'webhook delivery', clock: deps.clock, logger: deps.logger, everyMs, pass: () => this.sendDue() })
  }

  /** Delay before attempt `attempts + 1`: base × 2^(attempts − 1), with ±20% jitter. */
  retryDelayMs(attempts: number): number {
    const base = this.deps.config.webhookRetryBaseSeconds * 1000 * 2 ** Math.max(0, attempts - 1)
    return Math.round(base * (0.8 + 0.4 * Math.random()))
  }

  /** Starts the periodic passes (a worker's job; an API-only process sends nothing). */
  start(): void {
    this.passes.start()
  }

  stop(): void {
    this.passes.stop()
  }

  /** A delivery pass is under way. */
  get busy(): boolean {
    return this.passes.busy
  }

  /** The queue job's task: a pass now. */
  deliverDue(): Promise<void> {
    return this.passes.run()
  }

  private async sendDue(): Promise<void> {
    const { db, clock } = this.deps
    for (;;) {
      const now = clock.now()
      const batch = await claimDueDeliveries(db.pool, now, new Date(now.getTime() + CLAIM_MS), BATCH)
      if (batch.length === 0) break
      const results = await Promise.all(batch.map((delivery) => this.attempt(delivery)))
      await saveDeliveryResults(db.pool, results)
      for (const result of results) {
        this.deps.metrics?.webhookDeliveries.inc({ outcome: result.status === 'DELIVERED' ? 'delivered' : result.status === 'FAILED' ? 'failed' : 'retry' })
        if (result.status !== 'DELIVERED') {
          this.deps.logger.warn({ deliveryId: result.id, attempts: result.attempts, error: result.error, failed: result.status === 'FAILED' }, 'webhook delivery failed')
        }
      }
    }
    const next = await nextDeliveryDueAt(db.pool)
    if (next) this.passes.wakeAt(next)
  }

  private async secretOf(clientId: string): Promise<string | null> {
    const cached = this.secrets.get(clientId)
    // Re-read now and then, so a revoked client stops being signed for.
    const now = this.deps.clock.now().getTime()
    if (cached && now - cached.readAt < 60_000) return cached.secret
    const client = await findActiveClient(this.deps.db.pool, clientId)
    const secret = client ? this.deps.cipher.decrypt(client.secretEnc) : null
    this.secrets.set(clientId, { secret, readAt: now })
    return secret
  }

  private async attempt(delivery: ClaimedDelivery): Promise<DeliveryResult> {
    const { clock, config } = this.deps
    const secret = await this.secretOf(delivery.clientId)
    const body = JSON.stringify(delivery.payload)
    const attemptedAt = clock.now()
    const result = secret
      ? await postJson(
          delivery.url,
          body,
          { ...delivery.headers, [SIGNATURE_HEADER]: signWebhookBody(body, secret, Math.floor(attemptedAt.getTime() / 1000)) },
          { allowPrivate: config.webhookAllowPrivate, clock },
        )
      : { status: null, error: 'the client was revoked', latencyMs: 0 }
    const attempts = delivery.attempts + 1
    const delivered = result.error === null
    const exhausted = !delivered && (attempts >= config.webhookMaxAttempts || !secret)
    // The back-off counts from the end of the attempt: a receiver that timed out gets its full pause.
    const endedAt = clock.now()
    return {
      id: delivery.id,
      status: delivered ? 'DELIVERED' : exhausted ? 'FAILED' : 'PENDING',
      attempts,
      nextAttemptAt: delivered || exhausted ? endedAt : new Date(endedAt.getTime() + this.retryDelayMs(attempts)),
      responseCode: result.status,
      error: result.error,
      latencyMs: result.latencyMs,
      attemptedAt,
      deliveredAt: delivered ? endedAt : null,
    }
  }
}
