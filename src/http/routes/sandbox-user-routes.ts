import { z } from 'zod'
import type { SandboxUserView } from '../../services/sandbox-user-service.ts'
import type { App, HttpServices } from '../http-types.ts'
import { refusals } from '../schemas/error.ts'
import { Deleted } from '../schemas/page.ts'
import { SandboxUser, SandboxUserBody } from '../schemas/sandbox-user.ts'

const TAGS = ['Sandbox']
const UserParams = z.object({ user: z.string().max(100) })
const USER_NOT_FOUND = refusals({ 404: ['SANDBOX_CONTROL_DISABLED', 'SANDBOX_USER_NOT_FOUND'] })

/** Everything but the password's digest: a credential's, all the same. */
function present(view: SandboxUserView): SandboxUser {
  const { passwordSha256: _digest, ...user } = view.user
  return { source: view.source, ...user }
}

/**
 * Custom sandbox users (docs/sandbox.md): a JSON document registered by the client, chosen by
 * logging in with its user name on any sandbox connector.
 */
export function registerSandboxUserRoutes(app: App, services: HttpServices): void {
  const { sandboxUsers } = services

  app.post(
    '/sandbox/users',
    {
      schema: {
        tags: TAGS,
        summary: 'Register (or replace) a custom sandbox user; every bad field is reported in details',
        body: SandboxUserBody,
        response: {
          200: SandboxUser.extend({ created: z.boolean().describe('false when it replaced a user of the same name') }).describe('The custom sandbox user, registered'),
          ...refusals({ 404: ['SANDBOX_CONTROL_DISABLED'] }),
        },
      },
    },
    async (request) => {
      const saved = await sandboxUsers.register(request.principal!.clientId, request.body)
      return { ...present(saved), created: saved.created }
    },
  )

  app.get(
    '/sandbox/users',
    {
      schema: {
        tags: TAGS,
        summary: 'The custom sandbox users this client may log in as',
        response: { 200: z.strictObject({ results: z.array(SandboxUser) }).describe('The client’s own users, then the file’s'), ...refusals({ 404: ['SANDBOX_CONTROL_DISABLED'] }) },
      },
    },
    async (request) => ({ results: (await sandboxUsers.list(request.principal!.clientId)).map(present) }),
  )

  app.get('/sandbox/users/:user', { schema: { tags: TAGS, summary: 'A custom sandbox user', params: UserParams, response: { 200: SandboxUser, ...USER_NOT_FOUND } } }, async (request) =>
    present(await sandboxUsers.get(request.principal!.clientId, request.params.user)),
  )

  app.delete(
    '/sandbox/users/:user',
    { schema: { tags: TAGS, summary: 'Delete a custom sandbox user of this client', params: UserParams, response: { 200: Deleted, ...USER_NOT_FOUND } } },
    async (request) => ({ count: await sandboxUsers.delete(request.principal!.clientId, request.params.user) }),
  )
}
