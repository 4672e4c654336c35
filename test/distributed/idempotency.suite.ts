import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiClient, ProcessGroup, createTestDatabase, type TestDatabase } from './processes.ts'

// Idempotency keys live in the database: a request sent again with the same key to another API
// process — as a load balancer does after a lost answer — gets the first answer.

let database: TestDatabase
let group: ProcessGroup
beforeAll(async () => {
  database = await createTestDatabase()
  group = new ProcessGroup(database.url)
})
afterAll(async () => {
  await group?.stopAll()
  await database?.drop()
})

describe('Idempotency-Key across API processes', () => {
  it('the same POST /items sent to two processes at once and again later creates one item', async () => {
    const [first, second] = [await group.start({ name: 'api-1', role: 'api' }), await group.start({ name: 'api-2', role: 'api' })]
    const clients = [new ApiClient(first.url), new ApiClient(second.url)]
    for (const client of clients) await client.login()
    const body = { connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' }, clientUserId: 'idempotent-across' }
    const send = (client: ApiClient) =>
      fetch(`${client.baseUrl}/items`, { method: 'POST', headers: { 'x-api-key': client.apiKey, 'content-type': 'application/json', 'idempotency-key': 'across-1' }, body: JSON.stringify(body) }).then(
        async (r) => ({ status: r.status, body: (await r.json()) as { id?: string; codeDescription?: string } }),
      )

    const together = await Promise.all([send(clients[0]), send(clients[1]), send(clients[0]), send(clients[1])])
    // Each answer is the item, or "still being handled" while the first one works.
    for (const answer of together) {
      expect(answer.status === 200 || (answer.status === 409 && answer.body.codeDescription === 'IDEMPOTENCY_KEY_IN_USE'), JSON.stringify(answer)).toBe(true)
    }
    const ids = new Set(together.filter((a) => a.status === 200).map((a) => a.body.id))
    expect(ids.size).toBe(1)
    const later = await send(clients[1])
    expect([later.status, later.body.id]).toEqual([200, [...ids][0]])
    const items = (await clients[0].listItems()).filter((item) => item.clientUserId === 'idempotent-across')
    expect(items).toHaveLength(1)
  }, 180_000)
})
