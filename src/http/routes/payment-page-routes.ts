import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { FastifyReply } from 'fastify'
import { AWAITING_PAYER } from '../../domain/payments/payment-intent.ts'
import { isFinalIntentStatus, isIntentErrorStatus } from '../../domain/payments/statuses.ts'
import { Refusal } from '../../engine/refusal.ts'
import type { PaymentRequestView } from '../../services/payments/payment-request-service.ts'
import type { App, HttpServices } from '../http-types.ts'
import { choosePage, missingPage, PAYMENT_PAGE_HEADERS, resultPage, waitingPage, type PaymentSummary } from '../payment-page.ts'

const CSRF_COOKIE = 'tributary_pay_csrf'
type Form = Record<string, string | undefined>

const html = (reply: FastifyReply, status: number, body: string) => reply.code(status).headers(PAYMENT_PAGE_HEADERS).send(body)
const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=')
    if (key === name) return value.join('=')
  }
  return undefined
}

function summaryOf(view: PaymentRequestView): PaymentSummary {
  return { amountCents: view.row.amountCents, description: view.row.description, recipientName: view.recipient?.name ?? null }
}

/**
 * The payment page, a payment request's paymentUrl (docs/payments.md, "The payment page"): public
 * like the Connect page — the request's random id is the payer's link.
 *
 *   GET  /pay/{id}          choose the bank and give the CPF; then off to the bank's page; then the result
 *   POST /pay/{id}          starts the payment intent (CSRF: a double-submitted cookie)
 *   GET  /pay/{id}/return   where the bank sends the payer back: waits for the outcome, then the result
 */
export async function registerPaymentPageRoutes(app: App, services: HttpServices): Promise<void> {
  const { paymentRequests, paymentIntents } = services
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)))
    })
    const options = { config: { access: 'public' as const }, logLevel: 'warn' as const, schema: { hide: true } }

    const choose = (reply: FastifyReply, view: PaymentRequestView, status = 200, error?: string) => {
      const csrf = randomBytes(24).toString('base64url')
      reply.header('set-cookie', `${CSRF_COOKIE}=${csrf}; Path=/pay; HttpOnly; SameSite=Strict`)
      return html(reply, status, choosePage({ ...summaryOf(view), csrf, banks: paymentIntents.payerBanks(), ...(error ? { error } : {}) }))
    }

    /** What the page shows for the request's latest intent; `sendToBank` when the payer has not been to the bank yet. */
    const show = async (reply: FastifyReply, view: PaymentRequestView, sendToBank: boolean, retry: boolean) => {
      const intent = await paymentIntents.latestOfRequest(view.row.clientId, view.row.id)
      if (!intent || (retry && !view.row.intentInProgress)) return choose(reply, view)
      if (!isFinalIntentStatus(intent.status)) {
        if (sendToBank && intent.consentUrl && (AWAITING_PAYER as readonly string[]).includes(intent.status)) return reply.code(303).header('location', intent.consentUrl).send()
        return html(reply, 200, waitingPage({ ...summaryOf(view), consentUrl: intent.consentUrl }))
      }
      const paid = !isIntentErrorStatus(intent.status)
      const callbackUrl = (paid ? view.row.callbackUrls?.success : view.row.callbackUrls?.error) ?? null
      return html(reply, 200, resultPage({ ...summaryOf(view), paid, reason: intent.error?.description ?? null, callbackUrl, retryUrl: view.row.intentInProgress ? null : `/pay/${view.row.id}?retry=1` }))
    }

    scope.get('/pay/:id', options, async (request, reply) => {
      const view = await paymentRequests.forPage((request.params as { id: string }).id)
      if (!view) return html(reply, 404, missingPage())
      return show(reply, view, true, (request.query as { retry?: string }).retry !== undefined)
    })

    scope.get('/pay/:id/return', options, async (request, reply) => {
      const view = await paymentRequests.forPage((request.params as { id: string }).id)
      if (!view) return html(reply, 404, missingPage())
      return show(reply, view, false, false)
    })

    scope.post('/pay/:id', options, async (request, reply) => {
      const view = await paymentRequests.forPage((request.params as { id: string }).id)
      if (!view) return html(reply, 404, missingPage())
      const form = (request.body ?? {}) as Form
      const expected = cookie(request.headers.cookie, CSRF_COOKIE)
      if (!expected || !form.csrf || !same(expected, form.csrf)) return choose(reply, view, 400, 'This form expired; fill it in again.')
      try {
        await paymentIntents.create(
          view.row.clientId,
          { paymentRequestId: view.row.id, connectorId: Number(form.connectorId), parameters: { cpf: form.cpf ?? '', ...(form.cnpj ? { cnpj: form.cnpj } : {}) } },
          undefined,
        )
      } catch (error) {
        if (error instanceof Refusal) return choose(reply, view, 400, error.message)
        throw error
      }
      return reply.code(303).header('location', `/pay/${view.row.id}`).send()
    })
  })
}
