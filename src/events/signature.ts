import { createHmac, timingSafeEqual } from 'node:crypto'

export const SIGNATURE_HEADER = 'X-Tributary-Signature'

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, keyed with the client's secret. */
export function signWebhookBody(rawBody: string, secret: string, timestampSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${rawBody}`).digest('hex')
  return `t=${timestampSeconds},v1=${mac}`
}

/**
 * Checks a webhook's `X-Tributary-Signature` header against the raw request body (exactly the
 * bytes received, before any JSON parsing) and your client secret. Rejects signatures older than
 * `toleranceSeconds`, so a captured request cannot be replayed later.
 * @example
 * app.post('/webhooks/tributary', express.raw({ type: 'application/json' }), (req, res) => {
 *   if (!verifyWebhookSignature(req.body.toString('utf8'), req.get('X-Tributary-Signature'), process.env.CLIENT_SECRET!, 300)) {
 *     return res.status(400).end()
 *   }
 *   const event = JSON.parse(req.body.toString('utf8'))
 *   res.status(200).end()
 * })
 */
export function verifyWebhookSignature(rawBody: string, header: string | null | undefined, secret: string, toleranceSeconds = 300, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  if (!header) return false
  const parts = new Map(header.split(',').map((part) => part.trim().split('=', 2) as [string, string]))
  const t = Number(parts.get('t'))
  const v1 = parts.get('v1')
  if (!Number.isInteger(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return false
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return false
  const expected = signWebhookBody(rawBody, secret, t).slice(`t=${t},v1=`.length)
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(v1, 'hex'))
}
