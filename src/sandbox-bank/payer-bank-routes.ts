import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { Refusal } from '../engine/refusal.ts'
import type { App } from '../http/http-types.ts'
import { refuseOnPage } from '../http/page-refusal.ts'
import { SERVER_PAGE_HEADERS } from '../http/server-page.ts'
import { SANDBOX_BANK_PATH } from './open-finance-bank-routes.ts'
import { isStanding, type SandboxPayerBank, type PayerBankConsentRequest } from './payer-bank.ts'
import { approvedPage, authorizationPage, leavingPage, refusedPage } from './payer-bank-pages.ts'

/** Where the sandbox bank's payment initiation lives on this server. */
export const SANDBOX_PAYER_BANK_PATH = `${SANDBOX_BANK_PATH}/payments`

type Form = Record<string, string | string[] | undefined>
const one = (form: Form) => Object.fromEntries(Object.entries(form).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]))
const html = (reply: FastifyReply, status: number, body: string) => reply.code(status).headers(SERVER_PAGE_HEADERS).send(body)
const unknown = () => new Refusal('not_found', 'NOT_FOUND', 'The sandbox bank does not know this consent or payment.')
/** A form of the bank's pages it cannot accept: the page says why to a browser, the error shape to anything else. */
const refusedForm = (request: FastifyRequest, reply: FastifyReply, reason: string) =>
  refuseOnPage(request, reply, new Refusal('bad_request', 'SANDBOX_CONSENT_PAGE_INVALID', reason), (r) => html(r, 400, refusedPage(reason)))

/** Text the bank stores: PostgreSQL keeps no NUL character, so one is refused here, not failed on. */
const text = (min = 0) =>
  z
    .string()
    .min(min)
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters')

/** What a connector sends to open a consent: the bank's API is public, so it checks what it reads (and keeps only that). */
const ConsentBody = z.object({
  reference: text(1),
  kind: text(1),
  amountCents: z.number().int().positive().nullable(),
  payer: z.object({ cpf: text(11), cnpj: text().optional() }),
  recipient: z.object({ name: text(), taxNumber: text() }),
  description: text().nullable(),
  dates: z.array(text()).optional(),
  redirectUrl: z.url(),
  expiresAt: text(),
}) satisfies z.ZodType<PayerBankConsentRequest>
const PixBody = z.object({ reference: text(1), amountCents: z.number().int().positive(), date: text().optional() })

/**
 * The sandbox bank's payment-initiation routes, public like an institution's (docs/payments.md,
 * "The sandbox payer bank"):
 *
 *   POST /sandbox/open-finance/payments/consents                    a consent (the connector's API)
 *   GET  /sandbox/open-finance/payments/consents/{id}               its status
 *   POST /sandbox/open-finance/payments/consents/{id}/pix           a payment under it
 *   GET  /sandbox/open-finance/payments/pix/{id}                    the payment's settlement status
 *   GET  /sandbox/open-finance/payments/accounts/pix?cpf=           the Pix payments that left a payer's account
 *   GET  /sandbox/open-finance/payments/authorize/{id}              the payer's authorization page
 *   POST /sandbox/open-finance/payments/authorize/{id}/decision     authorize / reject → back to Tributary
 *   POST /sandbox/open-finance/payments/authorize/{id}/second-approval   a second approver approves
 *   POST /sandbox/open-finance/payments/authorize/{id}/scenario  the scenario of a standing consent's next payments
 */
export async function registerPayerBankRoutes(app: App, bank: SandboxPayerBank): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)))
    })
    const options = { config: { access: 'public' as const }, logLevel: 'warn' as const, schema: { hide: true } }
    const path = SANDBOX_PAYER_BANK_PATH

    scope.post(`${path}/consents`, { ...options, schema: { ...options.schema, body: ConsentBody } }, async (request) => {
      const body = request.body as z.infer<typeof ConsentBody>
      const consent = await bank.createConsent(body)
      return { consentId: consent.id, authorizationUrl: `${new URL(body.redirectUrl).origin}${path}/authorize/${encodeURIComponent(consent.id)}` }
    })
    scope.get(`${path}/consents/:id`, options, async (request) => {
      const consent = await bank.consent((request.params as { id: string }).id)
      if (!consent) throw unknown()
      return { status: consent.status, debtorAccountId: consent.status === 'AUTHORISED' || consent.status === 'CONSUMED' ? consent.accountId : null }
    })
    scope.post(`${path}/consents/:id/pix`, { ...options, schema: { ...options.schema, body: PixBody } }, async (request) => {
      const payment = await bank.initiate((request.params as { id: string }).id, request.body as z.infer<typeof PixBody>)
      if ('refused' in payment) throw new Refusal('conflict', 'SANDBOX_CONSENT_PAGE_INVALID', payment.refused)
      return { paymentId: payment.id }
    })
    scope.get(`${path}/pix/:id`, options, async (request) => {
      const status = await bank.paymentStatus((request.params as { id: string }).id)
      if (!status) throw unknown()
      return status
    })

    // The statement side: the Pix payments that left the account of the payer with this CPF.
    scope.get(`${path}/accounts/pix`, options, async (request) => {
      const cpf = ((request.query as { cpf?: string }).cpf ?? '').replace(/\D/g, '')
      if (cpf.length !== 11) throw new Refusal('bad_request', 'SANDBOX_CONSENT_PAGE_INVALID', 'Pass the payer’s cpf (11 digits).')
      return { results: (await bank.settledPayments(cpf)).map((p) => ({ id: p.id, amountCents: p.amountCents, at: p.at.toISOString() })) }
    })

    scope.get(`${path}/authorize/:id`, options, async (request, reply) => {
      const found = await bank.page((request.params as { id: string }).id)
      if ('refused' in found) return refuseOnPage(request, reply, new Refusal('not_found', 'NOT_FOUND', found.refused), (r) => html(r, 404, refusedPage(found.refused)))
      const { consent } = found
      return html(
        reply,
        200,
        authorizationPage({
          consentId: consent.id,
          csrf: consent.csrf,
          status: consent.status,
          kind: consent.request.kind,
          amountCents: consent.request.amountCents,
          recipient: consent.request.recipient,
          description: consent.request.description,
          dates: consent.request.dates ?? [],
          balanceCents: found.balanceCents,
          scenario: consent.scenario,
          awaitingSecondApproval: found.awaitingSecondApproval.length,
          standing: isStanding(consent),
        }),
      )
    })
    scope.post(`${path}/authorize/:id/decision`, options, async (request, reply) => {
      const result = await bank.decide((request.params as { id: string }).id, one((request.body ?? {}) as Form))
      if ('refused' in result) return refusedForm(request, reply, result.refused)
      return html(reply, 200, leavingPage(result.redirect))
    })
    scope.post(`${path}/authorize/:id/scenario`, options, async (request, reply) => {
      const id = (request.params as { id: string }).id
      const result = await bank.changeScenario(id, one((request.body ?? {}) as Form))
      if ('refused' in result) return refusedForm(request, reply, result.refused)
      return reply
        .code(303)
        .header('location', `${path}/authorize/${encodeURIComponent(id)}`)
        .send()
    })
    scope.post(`${path}/authorize/:id/second-approval`, options, async (request, reply) => {
      const result = await bank.approveSecond((request.params as { id: string }).id, one((request.body ?? {}) as Form))
      if ('refused' in result) return refusedForm(request, reply, result.refused)
      return html(reply, 200, approvedPage(result.approved))
    })
  })
}
