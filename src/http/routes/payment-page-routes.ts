import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { AWAITING_PAYER } from '../../domain/payments/payment-intent.ts'
import { isFinalIntentStatus, isIntentErrorStatus } from '../../domain/payments/statuses.ts'
import { Refusal } from '../../engine/refusal.ts'
import type { PayableOnPage } from '../../services/payments/payment-page-service.ts'
import type { App, HttpServices } from '../http-types.ts'
import { refuseOnPage } from '../page-refusal.ts'
import { choosePage, missingPage, resultPage, waitingPage } from '../payment-page.ts'
import { SERVER_PAGE_HEADERS } from '../server-page.ts'

const CSRF_COOKIE = 'tributary_pay_csrf'
type Form = Record<string, string | undefined>

const html = (reply: FastifyReply, status: number, body: string) => reply.code(status).headers(SERVER_PAGE_HEADERS).send(body)
/** A link to no payment request or bulk payment of this server. */
const missing = (request: FastifyRequest, reply: FastifyReply) =>
  refuseOnPage(request, reply, new Refusal('not_found', 'NOT_FOUND', 'No payment request or bulk payment has this payment page; use the paymentUrl its creation answered.'), (r) =>
    html(r, 404, missingPage()),
  )
const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=')
    if (key === name) return value.join('=')
  }
  return undefined
}

/**
 * The payment page, a payment request's paymentUrl (and a bulk payment's, for its top-up) —
 * docs/payments.md, "The payment page". Public like the Connect page: the random id is the link.
 *
 *   GET  /pay/{id}            choose the bank and give the CPF; then off to the bank's page; then the result
 *   POST /pay/{id}            starts the payment intent (CSRF: a double-submitted cookie)
 *   GET  /pay/{id}/return     where the bank sends the payer back: waits for the outcome, then the result
 *   …/pay/bulk/{id}[/return]  the same for a bulk payment's top-up
 */
export async function registerPaymentPageRoutes(app: App, services: HttpServices): Promise<void> {
  const pages = services.paymentPages
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)))
    })
    const options = { config: { access: 'public' as const }, logLevel: 'warn' as const, schema: { hide: true } }

    const choose = (reply: FastifyReply, payable: PayableOnPage, status = 200, error?: string) => {
      const csrf = randomBytes(24).toString('base64url')
      reply.header('set-cookie', `${CSRF_COOKIE}=${csrf}; Path=/pay; HttpOnly; SameSite=Strict`)
      return html(reply, status, choosePage({ ...payable, csrf, banks: pages.banks(), ...(error ? { error } : {}) }))
    }

    /** What the page shows for the latest intent; `sendToBank` when the payer has not been to the bank yet. */
    const show = async (reply: FastifyReply, payable: PayableOnPage, sendToBank: boolean, retry: boolean) => {
      const intent = await pages.latestIntent(payable)
      if (!intent || (retry && !payable.intentInProgress)) return choose(reply, payable)
      if (!isFinalIntentStatus(intent.status)) {
        if (sendToBank && intent.consentUrl && (AWAITING_PAYER as readonly string[]).includes(intent.status)) return reply.code(303).header('location', intent.consentUrl).send()
        return html(reply, 200, waitingPage({ ...payable, consentUrl: intent.consentUrl, pixQr: intent.pixData?.qr ?? null }))
      }
      const paid = !isIntentErrorStatus(intent.status)
      const callbackUrl = (paid ? payable.callbackUrls?.success : payable.callbackUrls?.error) ?? null
      return html(reply, 200, resultPage({ ...payable, paid, reason: intent.error?.description ?? null, callbackUrl, retryUrl: payable.intentInProgress ? null : `${payable.path}?retry=1` }))
    }

    const payableOf = (kind: PayableOnPage['kind'], request: FastifyRequest) => pages.find(kind, (request.params as { id: string }).id)

    for (const [kind, base] of [
      ['REQUEST', '/pay/:id'],
      ['BULK', '/pay/bulk/:id'],
    ] as const) {
      scope.get(base, options, async (request, reply) => {
        const payable = await payableOf(kind, request)
        if (!payable) return missing(request, reply)
        return show(reply, payable, true, (request.query as { retry?: string }).retry !== undefined)
      })

      scope.get(`${base}/return`, options, async (request, reply) => {
        const payable = await payableOf(kind, request)
        if (!payable) return missing(request, reply)
        return show(reply, payable, false, false)
      })

      scope.post(base, options, async (request, reply) => {
        const payable = await payableOf(kind, request)
        if (!payable) return missing(request, reply)
        const form = (request.body ?? {}) as Form
        const expected = cookie(request.headers.cookie, CSRF_COOKIE)
        if (!expected || !form.csrf || !same(expected, form.csrf)) {
          const refusal = new Refusal('bad_request', 'PAYMENT_PAGE_FORM_INVALID', 'This form expired (its CSRF token is missing or does not match); fill it in again.')
          return refuseOnPage(request, reply, refusal, (r) => choose(r, payable, 400, 'This form expired; fill it in again.'))
        }
        try {
          await pages.start(payable, { connectorId: Number(form.connectorId), cpf: form.cpf ?? '', ...(form.cnpj ? { cnpj: form.cnpj } : {}) })
        } catch (error) {
          if (error instanceof Refusal) return refuseOnPage(request, reply, error, (r) => choose(r, payable, 400, error.message))
          throw error
        }
        return reply.code(303).header('location', payable.path).send()
      })
    }
  })
}
