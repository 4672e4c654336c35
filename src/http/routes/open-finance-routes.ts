import { z } from 'zod'
import { OAUTH_CALLBACK_PATH } from '../../connectors/sdk/index.ts'
import type { ConsentRow } from '../../services/consent-service.ts'
import type { App, HttpServices } from '../http-types.ts'
import { PageQuery, page, pageWindow } from '../paging.ts'
import { Consent, ConsentPage } from '../schemas/consent.ts'
import { refusals } from '../schemas/error.ts'
import { returnPage } from '../user-authorization-page.ts'

const iso = (date: Date | null) => (date ? date.toISOString() : null)

function presentConsent(consent: ConsentRow): Consent {
  return {
    id: consent.id,
    itemId: consent.itemId,
    products: consent.products,
    openFinancePermissionsGranted: consent.permissions,
    createdAt: consent.createdAt.toISOString(),
    expiresAt: iso(consent.expiresAt),
    revokedAt: iso(consent.revokedAt),
  }
}

const CallbackQuery = z.record(z.string().max(100), z.string().max(8192))

/**
 * Open Finance: the return from an institution's authorization page, and the consents.
 *
 *   GET /oauth/callback   the institution sends the user back here (`state` + `code` or `error`);
 *                         the waiting execution resumes by itself; the user goes on to the item's
 *                         oauthRedirectUri, or sees a page that closes its popup
 *   GET /consents?itemId= the item's consents (the reference client's fetchConsents)
 *   GET /consents/{id}    one consent (fetchConsent)
 */
export function registerOpenFinanceRoutes(app: App, services: HttpServices): void {
  // The query carries a one-time code: this route logs only warnings and errors, never the request line.
  app.get(OAUTH_CALLBACK_PATH, { config: { access: 'public' }, logLevel: 'warn', schema: { hide: true, querystring: CallbackQuery } }, async (request, reply) => {
    const back = await services.userAuthorizations.recordReturn(request.query)
    reply.headers({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff' })
    if (back.redirectUri) {
      const target = new URL(back.redirectUri)
      target.searchParams.set('itemId', back.itemId)
      target.searchParams.set('status', back.granted ? 'success' : 'error')
      return reply.redirect(target.href, 303)
    }
    reply.headers({
      'content-security-policy': "default-src 'none'; script-src 'sha256-" + returnPage.scriptHash + "'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    })
    return reply.type('text/html; charset=utf-8').send(returnPage.html(back.granted))
  })

  app.get(
    '/consents',
    {
      schema: {
        tags: ['consents'],
        querystring: PageQuery.extend({ itemId: z.string().max(200) }),
        response: { 200: ConsentPage, ...refusals({ 403: ['FORBIDDEN_FOR_CONNECT_TOKEN'], 404: ['ITEM_NOT_FOUND'] }) },
      },
    },
    async (request) => {
      const { rows, total } = await services.consents.list(request.principal!.clientId, request.query.itemId, pageWindow(request.query))
      return page(rows.map(presentConsent), total, request.query.page, request.query.pageSize)
    },
  )

  app.get(
    '/consents/:id',
    {
      schema: {
        tags: ['consents'],
        params: z.object({ id: z.string().max(200) }),
        response: { 200: Consent.describe('The consent'), ...refusals({ 403: ['FORBIDDEN_FOR_CONNECT_TOKEN'], 404: ['CONSENT_NOT_FOUND'] }) },
      },
    },
    async (request) => presentConsent(await services.consents.get(request.principal!.clientId, request.params.id)),
  )
}
