import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DatabaseRateWindows, RateLimiter } from '../../src/http/rate-limit.ts'
import { openDatabase, type Database } from '../../src/store/database.ts'
import { ProcessGroup, TEST_CLIENT, createTestDatabase, type TestDatabase } from './processes.ts'

// On PostgreSQL the rate limits are counted in the database (docs/security.md): behind several API
// processes a client, or an address guessing a secret, gets the limit once, not once per process.

let database: TestDatabase
let group: ProcessGroup
let db: Database
beforeAll(async () => {
  database = await createTestDatabase()
  group = new ProcessGroup(database.url)
})
afterAll(async () => {
  await group?.stopAll()
  await db?.close()
  await database?.drop()
})

async function authenticate(url: string, clientSecret: string): Promise<{ status: number; code?: string; retryAfter: string | null }> {
  const response = await fetch(`${url}/auth`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId: TEST_CLIENT.clientId, clientSecret }) })
  const body = (await response.json()) as { codeDescription?: string }
  return { status: response.status, code: body.codeDescription, retryAfter: response.headers.get('retry-after') }
}

describe('rate limits across API processes', () => {
  it('two API processes share one limit: past it, either refuses', async () => {
    const env = { TRIBUTARY_AUTH_RATE_LIMIT: '3' }
    const [first, second] = [await group.start({ name: 'api-1', role: 'api', env }), await group.start({ name: 'api-2', role: 'api', env })]
    const attempts = []
    for (const api of [first, second, first, second, first]) attempts.push(await authenticate(api.url, TEST_CLIENT.clientSecret))

    expect(attempts.map((a) => a.status)).toEqual([200, 200, 200, 429, 429])
    expect(attempts[3]).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED', retryAfter: expect.stringMatching(/^\d+$/) })
  }, 180_000)

  it('a window ends: the next request starts a new one', async () => {
    db = await openDatabase({ databaseUrl: database.url, dataDir: ':memory:' })
    let now = Date.parse('2026-01-01T00:00:00Z')
    const limiter = new RateLimiter(2, 60_000, { name: 'test', windows: new DatabaseRateWindows(db.pool), now: () => now })
    const reply = { headers: () => reply } as never
    const take = () =>
      limiter.take('key', reply, 'test requests').then(
        () => 'ok',
        (error: { code?: string }) => String(error.code ?? error),
      )

    expect([await take(), await take(), await take()]).toEqual(['ok', 'ok', 'RATE_LIMIT_EXCEEDED'])
    now += 59_000
    expect(await take()).toBe('RATE_LIMIT_EXCEEDED')
    now += 1_000
    expect([await take(), await take(), await take()]).toEqual(['ok', 'ok', 'RATE_LIMIT_EXCEEDED'])
  })
})
