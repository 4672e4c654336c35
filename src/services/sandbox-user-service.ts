import type { CustomSandboxUser } from '../domain/sandbox-user-document.ts'
import { Refusal } from '../engine/refusal.ts'
import type { Queryable } from '../store/database.ts'
import { deleteSandboxUser, findSandboxUser, listSandboxUsers, saveSandboxUser } from '../store/sandbox-controls.ts'
import type { Clock } from '../time/clock.ts'
import { completeSandboxUser, type SandboxUserDocument } from './sandbox-user-schema.ts'
import type { z } from 'zod'

/** A custom sandbox user and where it comes from: the client's own, or TRIBUTARY_SANDBOX_USERS_FILE's (every client's). */
export interface SandboxUserView {
  source: 'client' | 'file'
  user: CustomSandboxUser
}

/**
 * Custom sandbox users (docs/sandbox.md): JSON documents a client registers, each chosen by logging
 * in with its user name on a sandbox connector. A client's own user of a name comes before the
 * file's of the same name; other clients never see it.
 */
export class SandboxUserService {
  private readonly fromFile: ReadonlyMap<string, CustomSandboxUser>

  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
    private readonly control: { assertEnabled(): void },
    fileUsers: readonly CustomSandboxUser[],
  ) {
    this.fromFile = new Map(fileUsers.map((user) => [user.user, user]))
  }

  async register(clientId: string, document: z.output<typeof SandboxUserDocument>): Promise<SandboxUserView & { created: boolean }> {
    this.control.assertEnabled()
    const user = completeSandboxUser(document)
    const { created } = await saveSandboxUser(this.db, { clientId, user, at: this.clock.now() })
    return { source: 'client', user, created }
  }

  async list(clientId: string): Promise<SandboxUserView[]> {
    this.control.assertEnabled()
    const own = await listSandboxUsers(this.db, clientId)
    const names = new Set(own.map((u) => u.user))
    return [...own.map((user) => ({ source: 'client' as const, user })), ...[...this.fromFile.values()].filter((u) => !names.has(u.user)).map((user) => ({ source: 'file' as const, user }))]
  }

  async get(clientId: string, name: string): Promise<SandboxUserView> {
    this.control.assertEnabled()
    const own = await findSandboxUser(this.db, clientId, name)
    if (own) return { source: 'client', user: own }
    const file = this.fromFile.get(name)
    if (file) return { source: 'file', user: file }
    throw notFound(name)
  }

  /** Deletes a client's own user (a file's user stays: it belongs to the server's configuration). */
  async delete(clientId: string, name: string): Promise<number> {
    this.control.assertEnabled()
    if (!(await deleteSandboxUser(this.db, clientId, name))) throw notFound(name)
    return 1
  }
}

const notFound = (name: string) =>
  new Refusal(
    'not_found',
    'SANDBOX_USER_NOT_FOUND',
    `There is no custom sandbox user ${name} of this client; register one with POST /sandbox/users (users of TRIBUTARY_SANDBOX_USERS_FILE cannot be deleted).`,
  )
