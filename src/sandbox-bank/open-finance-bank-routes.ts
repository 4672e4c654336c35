import type { FastifyReply } from 'fastify'
import { Refusal } from '../engine/refusal.ts'
import type { App } from '../http/http-types.ts'
import type { SandboxOpenFinanceBank } from './open-finance-bank.ts'
import { SERVER_PAGE_HEADERS } from '../http/server-page.ts'
import { consentPage, leavingPage, loginPage } from './open-finance-bank-pages.ts'

/** Where the sandbox Open Finance institution lives on this server. */
export const SANDBOX_BANK_PATH = '/sandbox/open-finance'

type Form = Record<string, string | string[] | undefined>
const one = (form: Form) => Object.fromEntries(Object.entries(form).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]))

function html(reply: FastifyReply, status: number, body: string) {
  return reply.code(status).headers(SERVER_PAGE_HEADERS).send(body)
}

/** The institution's refusals answer in Tributary's error shape, like every 4xx of this server. */
const refused = (reason: string) => new Refusal('bad_request', 'SANDBOX_CONSENT_PAGE_INVALID', `${reason} Start the connection again from the application.`)

/**
 * The sandbox Open Finance institution's routes (docs/open-finance.md), public like an institution's:
 *
 *   GET  /sandbox/open-finance/authorize           the authorization endpoint: the login page
 *   POST /sandbox/open-finance/login               the login form → the consent page
 *   POST /sandbox/open-finance/decision            approve / deny → back to Tributary's callback
 *   POST /sandbox/open-finance/token               code (+ PKCE verifier) or refresh token → tokens
 *   GET  /sandbox/open-finance/consent             the consent behind a bearer token (the connector's API)
 */
export async function registerSandboxBankRoutes(app: App, bank: SandboxOpenFinanceBank): Promise<void> {
  await app.register(async (scope) => {
    // HTML forms post url-encoded bodies; only these routes read them.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_request, body, done) => {
      const form: Form = {}
      for (const [key, value] of new URLSearchParams(body as string)) form[key] = form[key] === undefined ? value : [form[key]].flat().concat(value)
      done(null, form)
    })
    const options = { config: { access: 'public' as const }, logLevel: 'warn' as const, schema: { hide: true } }

    scope.get(`${SANDBOX_BANK_PATH}/authorize`, options, async (request, reply) => {
      const started = bank.authorize(request.query as Record<string, string | undefined>)
      if ('refused' in started) throw refused(started.refused)
      return html(reply, 200, loginPage(started.requestId, started.csrf))
    })

    scope.post(`${SANDBOX_BANK_PATH}/login`, options, async (request, reply) => {
      const form = one((request.body ?? {}) as Form)
      const result = bank.login(form)
      if ('refused' in result) throw refused(result.refused)
      if (!result.ok) return html(reply, 200, loginPage(form.requestId!, form.csrf!, result.error))
      return html(reply, 200, consentPage(form.requestId!, form.csrf!, form.user!))
    })

    scope.post(`${SANDBOX_BANK_PATH}/decision`, options, async (request, reply) => {
      const result = bank.decide((request.body ?? {}) as Form)
      if ('refused' in result) throw refused(result.refused)
      return html(reply, 200, leavingPage(result.redirect))
    })

    scope.post(`${SANDBOX_BANK_PATH}/token`, options, async (request, reply) => {
      const result = bank.token(one((request.body ?? {}) as Form))
      reply.headers({ 'cache-control': 'no-store' })
      if ('error' in result) throw new Refusal('bad_request', 'SANDBOX_TOKEN_INVALID', `The sandbox institution refused the grant (${result.error}).`, { data: { error: result.error } })
      return result
    })

    scope.get(`${SANDBOX_BANK_PATH}/consent`, options, async (request, reply) => {
      const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1]
      const answer = bank.readConsent(bearer)
      if (answer.status === 'UNAUTHORIZED') throw new Refusal('unauthorized', 'SANDBOX_TOKEN_INVALID', 'The sandbox institution does not know this access token (or it expired).')
      // `user-api-error`: the institution's API fails — the connection drops without an answer.
      if (answer.status === 'FAILING') {
        reply.hijack()
        reply.raw.destroy()
        return
      }
      return answer
    })
  })
}
