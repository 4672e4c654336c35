import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import pino from 'pino'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config.ts'
import { defineConnector, invalidCredentials } from '../src/connectors/sdk/index.ts'
import { REDACTED_LOG_PATHS, rotateEncryptionKey } from '../src/main.ts'
import { CLIENT, startTestEngine, type TestEngine } from './support/harness.ts'

const PASSWORD = 'Zq8-distinctive-PW-31415926'

/** A connector that accepts only PASSWORD and logs what it is given, as a careless connector might. */
const vault = defineConnector({
  id: 900,
  name: 'Vault Bank',
  type: 'PERSONAL_BANK',
  country: 'BR',
  hasMFA: false,
  credentials: [
    { name: 'user', label: 'User', type: 'text' },
    { name: 'password', label: 'Password', type: 'password' },
  ],
  products: ['ACCOUNTS'],
  async login(ctx) {
    ctx.log.info('logging in', { credentials: ctx.credentials, password: ctx.credentials.password })
    if (ctx.credentials.password !== PASSWORD) throw invalidCredentials()
  },
  async fetchAccounts() {
    return [{ providerId: 'acc-1', type: 'BANK', subtype: 'CHECKING_ACCOUNT', number: '0001/12345-6', name: 'Conta', balance: 10, currencyCode: 'BRL' }]
  },
})

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    return statSync(full).isDirectory() ? filesUnder(full) : [full]
  })
}

const engines: TestEngine[] = []
afterAll(async () => {
  for (const engine of engines) await engine.stop().catch(() => {})
})

describe('credentials at rest and in logs', () => {
  it('a distinctive password is found nowhere in the data directory or the log output, nor its base64', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tributary-secrets-'))
    const lines: string[] = []
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString())
        done()
      },
    })
    const logger = pino({ level: 'trace', redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } }, sink)
    const engine = await startTestEngine({ TRIBUTARY_DATA_DIR: dir, LOG_LEVEL: 'trace' }, { logger, connectors: [vault] })
    engines.push(engine)
    const apiKey = await engine.apiKey()
    const item = await engine.createItem(apiKey, { connectorId: 900, parameters: { user: 'alice', password: PASSWORD } })
    expect((await engine.waitForItem(apiKey, item.id)).executionStatus).toBe('SUCCESS')
    const wrong = await engine.createItem(apiKey, { connectorId: 900, parameters: { user: 'alice', password: `${PASSWORD}-wrong` } })
    expect((await engine.waitForItem(apiKey, wrong.id)).executionStatus).toBe('INVALID_CREDENTIALS')
    const read = await engine.request('GET', `/items/${item.id}`, { apiKey })
    const executions = await engine.request('GET', `/items/${item.id}/executions`, { apiKey })
    const events = await engine.request('GET', `/events?itemId=${item.id}`, { apiKey })
    await engine.stop()
    engines.pop()

    const needles = [PASSWORD, Buffer.from(PASSWORD).toString('base64'), Buffer.from(PASSWORD).toString('base64url')]
    for (const text of [JSON.stringify(read.body), JSON.stringify(executions.body), JSON.stringify(events.body), lines.join('')]) {
      for (const needle of needles) expect(text).not.toContain(needle)
    }
    expect(lines.join('')).toContain('[redacted]')
    const files = filesUnder(dir)
    expect(files.length).toBeGreaterThan(10)
    for (const file of files) {
      const content = readFileSync(file)
      for (const needle of needles) expect(content.includes(Buffer.from(needle)), `${needle} found in ${file}`).toBe(false)
    }
  })
})

describe('key rotation', () => {
  it('re-encrypts every secret with a new key, and items created before still sync', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tributary-rotate-'))
    const env = { TRIBUTARY_DATA_DIR: dir }
    let engine = await startTestEngine(env, { connectors: [vault] })
    engines.push(engine)
    let apiKey = await engine.apiKey()
    const item = await engine.createItem(apiKey, { connectorId: 900, parameters: { user: 'alice', password: PASSWORD } })
    await engine.waitForItem(apiKey, item.id)
    const before = (await engine.tributary.db.pool.query('select credentials_enc from items where id = $1', [item.id])).rows[0].credentials_enc as string
    const keyBefore = readFileSync(path.join(dir, 'encryption.key'), 'utf8')
    await engine.stop()
    engines.pop()

    const result = await rotateEncryptionKey(loadConfig({ TRIBUTARY_DATA_DIR: dir, TRIBUTARY_CLIENT_ID: CLIENT.clientId, TRIBUTARY_CLIENT_SECRET: CLIENT.clientSecret, LOG_LEVEL: 'silent' }))
    expect(result.items).toBe(1)
    expect(result.clients).toBeGreaterThanOrEqual(1)
    expect(readFileSync(path.join(dir, 'encryption.key'), 'utf8')).not.toBe(keyBefore)
    expect(readFileSync(path.join(dir, 'encryption.previous-keys'), 'utf8').trim()).toBe('')

    engine = await startTestEngine(env, { connectors: [vault] })
    engines.push(engine)
    const after = (await engine.tributary.db.pool.query('select credentials_enc from items where id = $1', [item.id])).rows[0].credentials_enc as string
    expect(after.split('.')[1]).toBe(result.keyId)
    expect(after.split('.')[1]).not.toBe(before.split('.')[1])
    apiKey = await engine.apiKey()
    expect((await engine.request('PATCH', `/items/${item.id}`, { apiKey })).status).toBe(200)
    const synced = await engine.waitForItem(apiKey, item.id, (i) => i.status !== 'UPDATING' && i.executionStatus !== 'CREATED')
    expect(synced.executionStatus).toBe('SUCCESS')
  })
})

describe('rate limits', () => {
  it('POST /auth answers 429 with Retry-After and RateLimit headers past the limit, per client and address', async () => {
    const engine = await startTestEngine({ TRIBUTARY_AUTH_RATE_LIMIT: '3', TRIBUTARY_ITEM_UPDATE_RATE_LIMIT: '2' })
    engines.push(engine)
    const replies = []
    for (let i = 0; i < 4; i++) replies.push(await engine.request('POST', '/auth', { body: CLIENT }))
    expect(replies.slice(0, 3).map((r) => r.status)).toEqual([200, 200, 200])
    expect(replies[0].headers['ratelimit-limit']).toBe('3')
    expect(replies[2].headers['ratelimit-remaining']).toBe('0')
    const limited = replies[3]
    expect(limited.status).toBe(429)
    expect(limited.body).toMatchObject({ code: 429, codeDescription: 'RATE_LIMIT_EXCEEDED' })
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    // Wrong secrets count too: guessing is what the limit stops.
    expect((await engine.request('POST', '/auth', { body: { ...CLIENT, clientSecret: 'guess-0123456789abcdef' } })).status).toBe(429)

    // PATCH /items/{id}: per item; another item has its own budget.
    const apiKey = replies[0].body.apiKey
    const first = await engine.createItem(apiKey, { connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' } })
    const second = await engine.createItem(apiKey, { connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' } })
    for (const item of [first, second]) await engine.waitForItem(apiKey, item.id)
    const statuses = []
    for (let i = 0; i < 3; i++) {
      statuses.push((await engine.request('PATCH', `/items/${first.id}`, { apiKey })).status)
      await engine.waitForItem(apiKey, first.id)
    }
    expect(statuses).toEqual([200, 200, 429])
    expect((await engine.request('PATCH', `/items/${second.id}`, { apiKey })).status).toBe(200)
  })
})
