import { z } from 'zod'
import { Refusal } from '../../engine/refusal.ts'
import type { App, HttpServices } from '../http-types.ts'
import { ApiKey, ConnectToken } from '../schemas/auth.ts'
import { refusals } from '../schemas/error.ts'
import { redirectUriOrRefuse } from '../redirect-uri.ts'

const AuthBody = z.object({ clientId: z.string().min(1).max(200), clientSecret: z.string().min(1).max(500) })
const ConnectTokenBody = z
  .object({
    itemId: z.uuid().optional(),
    options: z
      .object({
        clientUserId: z.string().max(500).optional(),
        webhookUrl: z
          .url({ protocol: /^https?$/ })
          .max(2000)
          .optional(),
        avoidDuplicates: z.boolean().optional(),
        oauthRedirectUri: z.string().max(2000).optional(),
      })
      .optional(),
  })
  .nullish()

export function registerAuthRoutes(app: App, services: HttpServices): void {
  app.post(
    '/auth',
    {
      config: { access: 'public' },
      schema: { tags: ['auth'], body: AuthBody, security: [], response: { 200: ApiKey, ...refusals({ 401: ['CLIENT_KEYS_UNAUTHORIZED'], 429: ['RATE_LIMIT_EXCEEDED'] }) } },
    },
    async (request, reply) => {
      const { clientId, clientSecret } = request.body
      await services.limits.auth.take(`${request.ip}|${clientId}`, reply, 'authentication attempts for this client from this address')
      if (!(await services.authenticateClient(clientId, clientSecret))) {
        throw new Refusal('unauthorized', 'CLIENT_KEYS_UNAUTHORIZED', 'The clientId and clientSecret do not match an active client.')
      }
      return { apiKey: await services.tokens.issueApiKey(clientId) }
    },
  )

  app.post(
    '/connect_token',
    {
      config: { idempotent: true },
      schema: { tags: ['auth'], body: ConnectTokenBody, response: { 200: ConnectToken, ...refusals({ 400: ['WEBHOOK_URL_INVALID', 'OAUTH_REDIRECT_URI_INVALID'], 404: ['ITEM_NOT_FOUND'] }) } },
    },
    async (request) => {
      const principal = request.principal!
      const body = request.body ?? {}
      if (body.itemId) await services.items.get({ clientId: principal.clientId, connectTokenId: null }, body.itemId)
      if (body.options?.webhookUrl) await services.webhooks.assertTarget(body.options.webhookUrl)
      if (body.options?.oauthRedirectUri !== undefined) redirectUriOrRefuse(body.options.oauthRedirectUri, null)
      const accessToken = await services.tokens.issueConnectToken(principal.clientId, body.itemId ?? null, body.options ?? {})
      return { accessToken }
    },
  )
}
