import { randomBytes } from 'node:crypto'
import { type Command, InvalidArgumentError } from 'commander'
import type { Config } from '../config.ts'
import type { AdminContext } from '../admin.ts'
import { insertClient, listClients, revokeClient } from '../store/clients.ts'
import { listExecutions } from '../store/executions.ts'
import { findItemForEngine, listItemsForOperator } from '../store/items.ts'
import { print, seconds, table } from './format.ts'
import { CliExit, type CliIo } from './io.ts'

const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Ends the command with exit code 2 and a sentence on stderr. */
function failWith(io: CliIo): (message: string) => never {
  return (message) => {
    io.err(`tributary: ${message}\n`)
    throw new CliExit(2)
  }
}

function positiveInt(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new InvalidArgumentError('must be a whole number from 1 to 100000')
  return n
}

/** Runs `work` with the database open, and always closes it. */
async function withAdmin<T>(loadConfig: () => Readonly<Config>, fail: (message: string) => never, work: (admin: AdminContext) => Promise<T>): Promise<T> {
  let admin: AdminContext
  try {
    // Loaded when an admin command runs: `tributary serve` starts without the engine's modules it needs.
    const { openAdminContext } = await import('../admin.ts')
    admin = await openAdminContext(loadConfig())
  } catch (error) {
    if (error instanceof CliExit) throw error
    const message = (error as Error).message
    fail(/lock|already in use|EBUSY/i.test(message) ? `the embedded database is in use by a running server; stop it first (${message})` : message)
  }
  try {
    return await work(admin)
  } finally {
    await admin.close()
  }
}

/** `clients`, `connectors` and `items`: operator commands on the database. */
export function registerAdminCommands(program: Command, io: CliIo, loadConfig: () => Readonly<Config>): void {
  // Annotated: a call to it then narrows like a throw.
  const fail: (message: string) => never = failWith(io)
  const clients = program.command('clients').description('API clients (tenants)')
  clients
    .command('create <clientId>')
    .description('create a client and print its secret (shown once)')
    .option('--secret <secret>', 'use this secret instead of a generated one (at least 16 characters)')
    .option('--json', 'machine-readable output')
    .action(async (clientId: string, options: { secret?: string; json?: boolean }) => {
      if (!CLIENT_ID.test(clientId)) fail('clientId must be 3–64 characters of [A-Za-z0-9._-]')
      if (options.secret !== undefined && options.secret.length < 16) fail('--secret must be at least 16 characters')
      const clientSecret = options.secret ?? randomBytes(24).toString('base64url')
      await withAdmin(loadConfig, fail, async ({ db, cipher }) => {
        if (!(await insertClient(db.pool, { id: clientId, secretEnc: cipher.encrypt(clientSecret) }))) fail(`client ${clientId} already exists`)
      })
      print(io.out, { clientId, clientSecret }, Boolean(options.json), () => `created client ${clientId}\nclient secret: ${clientSecret}\n(store it now: it is not shown again)\n`)
    })
  clients
    .command('list')
    .description('list clients')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const rows = await withAdmin(loadConfig, fail, async ({ db }) => (await listClients(db.pool)).map((c) => ({ clientId: c.id, createdAt: c.createdAt, revokedAt: c.revokedAt })))
      print(io.out, rows, Boolean(options.json), () => table(rows, ['clientId', 'createdAt', 'revokedAt']))
    })
  clients
    .command('revoke <clientId>')
    .description('revoke a client: its secret stops working at once (its API keys within 2 hours)')
    .action(async (clientId: string) => {
      const revoked = await withAdmin(loadConfig, fail, ({ db }) => revokeClient(db.pool, clientId, new Date()))
      if (!revoked) fail(`no active client ${clientId}`)
      io.out(`revoked client ${clientId}\n`)
    })

  program
    .command('connectors')
    .description('connectors this engine runs')
    .command('list')
    .description('list the sandbox banks and the connectors loaded from TRIBUTARY_CONNECTORS')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const rows = await withAdmin(loadConfig, fail, async ({ connectors }) =>
        connectors.list().map((c) => ({
          id: c.id,
          name: c.name,
          type: c.type,
          country: c.country,
          mfa: c.hasMFA ? (c.trustsDevice ? '2-step (trusted device)' : '2-step') : c.credentials.some((f) => f.mfa) ? '1-step' : 'none',
          sandbox: Boolean(c.isSandbox),
          products: c.products.join(','),
        })),
      )
      print(io.out, rows, Boolean(options.json), () => table(rows, ['id', 'name', 'type', 'country', 'mfa', 'sandbox', 'products']))
    })

  const items = program.command('items').description('items (connections) of every client')
  items
    .command('list')
    .description('list items, newest first')
    .option('--client <clientId>', 'only this client’s items')
    .option('--limit <n>', 'at most this many', positiveInt, 50)
    .option('--json', 'machine-readable output')
    .action(async (options: { client?: string; limit: number; json?: boolean }) => {
      const rows = await withAdmin(loadConfig, fail, async ({ db }) =>
        (await listItemsForOperator(db.pool, { clientId: options.client, limit: options.limit })).map((i) => ({
          id: i.id,
          client: i.clientId,
          connector: i.connectorId,
          status: i.status,
          executionStatus: i.executionStatus,
          lastUpdatedAt: i.lastUpdatedAt,
          nextAutoSyncAt: i.nextAutoSyncAt,
        })),
      )
      print(io.out, rows, Boolean(options.json), () => table(rows, ['id', 'client', 'connector', 'status', 'executionStatus', 'lastUpdatedAt', 'nextAutoSyncAt']))
    })
  items
    .command('show <itemId>')
    .description('an item and the timeline of its executions')
    .option('--executions <n>', 'how many executions to show', positiveInt, 5)
    .option('--json', 'machine-readable output')
    .action(async (itemId: string, options: { executions: number; json?: boolean }) => {
      if (!UUID.test(itemId)) fail(`${itemId} is not an item id (a UUID)`)
      const found = await withAdmin(loadConfig, fail, async ({ db }) => {
        const item = await findItemForEngine(db.pool, itemId)
        if (!item) return undefined
        const { rows } = await listExecutions(db.pool, item.clientId, item.id, { limit: options.executions, offset: 0 })
        return { item, executions: rows }
      })
      if (!found) fail(`no item ${itemId}`)
      const { item, executions } = found
      const summary = {
        id: item.id,
        client: item.clientId,
        connector: item.connectorId,
        status: item.status,
        executionStatus: item.executionStatus,
        error: item.error,
        nextAutoSyncAt: item.nextAutoSyncAt,
        executions,
      }
      print(io.out, summary, Boolean(options.json), () => {
        let out = `item ${item.id} (client ${item.clientId}, connector ${item.connectorId})\n`
        out += `status ${item.status} / ${item.executionStatus}${item.error ? ` — ${item.error.code}: ${item.error.message}` : ''}\n`
        out += `next auto-sync ${item.nextAutoSyncAt?.toISOString() ?? 'none'}\n`
        for (const execution of executions) {
          out += `\nexecution ${execution.id} (${execution.triggeredBy}) ${execution.status}, ${execution.createdAt.toISOString()}\n`
          for (const step of execution.steps) out += `  ${step.startedAt.slice(11, 23)}  ${step.status.padEnd(36)} ${seconds(step.startedAt, step.finishedAt)}\n`
          if (execution.error) out += `  error: ${execution.error.code} — ${execution.error.message}\n`
        }
        return out
      })
    })
  items
    .command('sync <itemId>')
    .description('start an execution of an item now (with the embedded database it runs when the server starts)')
    .action(async (itemId: string) => {
      if (!UUID.test(itemId)) fail(`${itemId} is not an item id (a UUID)`)
      await withAdmin(loadConfig, fail, async ({ db, items: service }) => {
        const item = await findItemForEngine(db.pool, itemId)
        if (!item) fail(`no item ${itemId}`)
        try {
          const started = await service.update({ clientId: item.clientId, connectTokenId: null }, item, {})
          io.out(`started an execution of ${started.id} (${started.status} / ${started.executionStatus})\n`)
        } catch (error) {
          fail((error as Error).message)
        }
      })
    })
}
