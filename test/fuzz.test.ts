import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestEngine, type TestEngine } from './support/harness.ts'

/** mulberry32: a seeded PRNG, so a failure replays exactly. */
function prng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const SEED = 20261123
const REQUESTS = 5_200

let engine: TestEngine
let apiKey: string
let connectToken: string
let itemId: string
beforeAll(async () => {
  engine = await startTestEngine({ TRIBUTARY_ITEM_CREATE_RATE_LIMIT: '100000' })
  apiKey = await engine.apiKey()
  connectToken = (await engine.request('POST', '/connect_token', { apiKey, body: {} })).body.accessToken
  itemId = (await engine.createItem(apiKey, { connectorId: 0, parameters: { user: 'user-locked', password: 'password-ok' } })).id
  await engine.waitForItem(apiKey, itemId)
})
afterAll(() => engine?.stop())

describe('hostile input', () => {
  it(`${REQUESTS} mutated requests across every route: no 5xx, every error in the error shape, the server healthy after`, async () => {
    const random = prng(SEED)
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]
    const int = (max: number) => Math.floor(random() * max)
    const routes = engine.tributary.app!.routeList.filter((r) => !(r.url === '/items/:id/events')) // the stream never ends by design
    expect(routes.length).toBeGreaterThan(20)

    const strings = () =>
      pick([
        '',
        'x'.repeat(int(5000)),
        '\u0000\u0001\u202e',
        '😀'.repeat(int(200)),
        '../../etc/passwd',
        "' or 1=1 --",
        '%00%ff',
        '-1',
        '1e309',
        'null',
        '{"a":1}',
        '00000000-0000-4000-8000-000000000000',
        itemId,
      ])
    const scalar = (): unknown => pick([strings(), int(1e9) - 5e8, random(), -0, true, false, null, 1e308, Number.MAX_SAFE_INTEGER + 2])
    const value = (depth: number): unknown => {
      if (depth <= 0) return scalar()
      switch (int(4)) {
        case 0:
          return Array.from({ length: int(5) }, () => value(depth - 1))
        case 1:
          return Object.fromEntries(
            Array.from({ length: int(5) }, () => [
              pick([
                'connectorId',
                'parameters',
                'user',
                'password',
                'token',
                'products',
                'event',
                'url',
                'headers',
                'enabled',
                'itemId',
                'options',
                '__proto__',
                'constructor',
                strings().slice(0, 50),
              ]),
              value(depth - 1),
            ]),
          )
        default:
          return scalar()
      }
    }
    const rawBody = (): string | Buffer | undefined => {
      switch (int(9)) {
        case 0:
          return undefined
        case 1:
          return '{"connectorId":0,"connectorId":"0","parameters":{"user":"a","user":1}}' // duplicate keys
        case 2:
          return '['.repeat(5000) + ']'.repeat(5000) // deep JSON
        case 3:
          return Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]) // bad UTF-8
        case 4:
          return '{"a":' // truncated
        case 5:
          return JSON.stringify({ connectorId: pick([0, 1, 2, -1, 99999, '0', 'abc', null]), parameters: value(2), products: value(1), webhookUrl: strings() })
        case 6:
          // Over the 1 MiB limit now and then (each costs a megabyte of work); otherwise a mutated create.
          return random() < 0.15 ? 'x'.repeat(1024 * 1024 + int(1000)) : JSON.stringify({ connectorId: 0, parameters: { user: strings().slice(0, 100), password: value(1) } })
        default:
          return JSON.stringify(value(4))
      }
    }
    const idFor = () => pick([itemId, '00000000-0000-4000-8000-000000000000', strings().slice(0, 300), '0', '-1', 'abc', '%2e%2e', encodeURIComponent(strings().slice(0, 100))])
    const query = () =>
      pick([
        '',
        `?page=${scalar()}`,
        `?pageSize=${pick([0, 1, 500, 501, -1, 'abc', 1e20])}`,
        `?itemId=${idFor()}`,
        `?sandbox=${strings().slice(0, 20)}`,
        `?from=${strings().slice(0, 30)}&to=2026-13-45`,
        `?after=${strings().slice(0, 40)}`,
        '?a=1&a=2&a=3',
        `?status=${strings().slice(0, 10)}`,
      ])

    const byClass = new Map<string, number>()
    /** Answers by status to requests that carried a valid key (API key or connect token) to a route that needs one. */
    const keyed = new Map<number, number>()
    /** 401s to requests without a valid key, to a route that needs one. */
    let refusedKeys = 0
    let itemDeleted = false
    for (let i = 0; i < REQUESTS; i++) {
      const route = pick(routes)
      const url = route.url.replace(/:(\w+)/g, () => encodeURI(idFor()).slice(0, 400)) + query()
      const key = pick([apiKey, apiKey, apiKey, connectToken, undefined, 'garbage', `${apiKey.slice(0, -3)}abc`])
      const body = route.method === 'GET' ? undefined : rawBody()
      const headers: Record<string, string> = {}
      if (key) headers['x-api-key'] = key
      if (body !== undefined) headers['content-type'] = pick(['application/json', 'application/json', 'text/plain', 'application/json; charset=latin1', 'multipart/form-data'])
      const response = await engine.tributary.app!.inject({ method: route.method as any, url, headers, ...(body !== undefined ? { payload: body } : {}) })
      const statusClass = `${Math.floor(response.statusCode / 100)}xx`
      byClass.set(statusClass, (byClass.get(statusClass) ?? 0) + 1)
      if (route.access !== 'public' && (key === apiKey || key === connectToken)) keyed.set(response.statusCode, (keyed.get(response.statusCode) ?? 0) + 1)
      else if (route.access !== 'public' && response.statusCode === 401) refusedKeys++
      if (route.method === 'DELETE' && route.url === '/items/:id' && url.startsWith(`/items/${itemId}`) && response.statusCode === 200) itemDeleted = true
      if (response.statusCode >= 500) {
        throw new Error(`5xx for ${route.method} ${url.slice(0, 200)} (request ${i}, seed ${SEED}): ${response.body.slice(0, 500)}`)
      }
      if (response.statusCode >= 400) {
        const error = response.json()
        expect(error.code, `${route.method} ${url.slice(0, 100)}`).toBe(response.statusCode)
        expect(typeof error.message).toBe('string')
        expect(error.codeDescription).toMatch(/^[A-Z][A-Z0-9_]+$/)
        expect(response.body).not.toMatch(/at .*\.ts:\d+|node_modules|syntax error at or near|SELECT |select .* from/)
      }
    }
    // The requests reached the handlers, not only the validation in front of them: 2xx answers from
    // routes that need a key (GET /health, /docs and the like answer 200 to anything, so they do not
    // count). And each kind of refusal happened: a missing or forged key (401), and behind a valid
    // key, input validation (400) and an unknown id (404).
    const summary = JSON.stringify({ byClass: Object.fromEntries(byClass), keyed: Object.fromEntries(keyed), refusedKeys })
    expect([...keyed].filter(([status]) => status >= 200 && status < 300).length, summary).toBeGreaterThan(0)
    expect(refusedKeys, summary).toBeGreaterThan(0)
    expect(keyed.get(400) ?? 0, summary).toBeGreaterThan(0)
    expect(keyed.get(404) ?? 0, summary).toBeGreaterThan(0)
    expect((await engine.request('GET', '/health')).status).toBe(200)
    // The item is intact, unless a well-formed DELETE of it was among the requests.
    const item = await engine.request('GET', `/items/${itemId}`, { apiKey })
    expect(item.status).toBe(itemDeleted ? 404 : 200)
  }, 120_000)

  it('a NUL character, which no stored text can hold, is refused as invalid input wherever it reaches the database', async () => {
    const app = engine.tributary.app!
    const inPath = await app.inject({ method: 'DELETE', url: '/sandbox/users/a%00b', headers: { 'x-api-key': apiKey } })
    expect([inPath.statusCode, inPath.json().codeDescription]).toEqual([400, 'VALIDATION_ERROR'])
    expect(inPath.json().message).toContain('NUL character')
    // The sandbox bank's own ids are checked before any lookup: an unknown consent, in the error shape.
    const bankPath = await app.inject({ method: 'POST', url: '/sandbox/open-finance/payments/authorize/%00/decision', payload: {} })
    expect([bankPath.statusCode, bankPath.json().codeDescription]).toEqual([400, 'SANDBOX_CONSENT_PAGE_INVALID'])
  })
})
