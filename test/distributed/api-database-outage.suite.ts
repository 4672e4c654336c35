import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiClient, ProcessGroup, createTestDatabase, freePort, waitFor, type TestDatabase } from './processes.ts'

// While the database cannot be reached, the API answers 503 DATABASE_UNAVAILABLE with Retry-After
// (a request a client can send again as it is), not a 500; once it is back the API answers again.
// The outage is made by a TCP relay between the API process and PostgreSQL that drops its
// connections and refuses new ones, so the shared server itself keeps running.

/** A relay to PostgreSQL that can be cut (every connection dropped, new ones refused) and restored. */
class CuttableRelay {
  private server: net.Server | null = null
  private readonly sockets = new Set<net.Socket>()
  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async open(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target)
      for (const socket of [client, upstream]) {
        this.sockets.add(socket)
        socket.on('close', () => this.sockets.delete(socket))
        socket.on('error', () => socket.destroy())
      }
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve))
  }

  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()))
    for (const socket of this.sockets) socket.destroy()
    await closed
    this.server = null
  }
}

let database: TestDatabase
let group: ProcessGroup
let relay: CuttableRelay
beforeAll(async () => {
  database = await createTestDatabase()
  const target = new URL(database.url)
  relay = new CuttableRelay(await freePort(), { host: target.hostname, port: Number(target.port || 5432) })
  await relay.open()
  const relayed = new URL(database.url)
  relayed.port = String(relay.port)
  group = new ProcessGroup(relayed.toString())
})
afterAll(async () => {
  await group?.stopAll()
  await database?.drop()
})

describe('the API while the database is away', () => {
  it('answers 503 DATABASE_UNAVAILABLE with Retry-After to reads and writes, and answers again once it is back', async () => {
    const api = await group.start({ name: 'api', role: 'api', env: { TRIBUTARY_DATABASE_OUTAGE_SECONDS: '1' } })
    const client = new ApiClient(api.url)
    await client.login()
    expect((await client.request('GET', '/items')).status).toBe(200)

    await relay.cut()
    for (const [method, path, body] of [
      ['GET', '/items'],
      ['GET', '/connectors'],
      ['POST', '/items', { connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' } }],
    ] as const) {
      const response = await fetch(`${api.url}${path}`, {
        method,
        headers: { 'x-api-key': client.apiKey, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      })
      const answer = (await response.json()) as { code: number; codeDescription: string; message: string }
      expect([response.status, answer.code, answer.codeDescription], `${method} ${path}: ${JSON.stringify(answer)}`).toEqual([503, 503, 'DATABASE_UNAVAILABLE'])
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/)
      expect(answer.message).toMatch(/again/)
    }

    await relay.open()
    await waitFor(async () => ((await client.request('GET', '/items')).status === 200 ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 200,
      describe: async () => 'GET /items never answered 200 after the database came back',
    })
    const created = await client.createItem({ connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' } })
    expect(created.status).toBe('UPDATING')
  }, 120_000)
})
