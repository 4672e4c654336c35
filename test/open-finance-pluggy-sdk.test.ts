import { PluggyClient, type Consent, type Item } from 'pluggy-sdk'
import { afterAll, beforeAll, describe, expect, expectTypeOf, it, vi } from 'vitest'
import { startTestEngine, CLIENT, type TestEngine } from './support/harness.ts'
import { visitBank } from './support/sandbox-bank-user.ts'

// pluggy-sdk 0.90.0, unmodified, against a listening Tributary: an Open Finance item created by the
// reference client, its consent read back with fetchConsents / fetchConsent in the shapes its types
// declare (the SDK turns the consent's dates into Date objects, as its types say).

let engine: TestEngine
let client: PluggyClient
let previousApiUrl: string | undefined

beforeAll(async () => {
  engine = await startTestEngine({ PORT: '0', HOST: '127.0.0.1' }, { listen: true })
  previousApiUrl = process.env.PLUGGY_API_URL
  process.env.PLUGGY_API_URL = engine.tributary.url!
  client = new PluggyClient({ clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret })
})
afterAll(async () => {
  if (previousApiUrl === undefined) delete process.env.PLUGGY_API_URL
  else process.env.PLUGGY_API_URL = previousApiUrl
  await engine?.stop()
})

async function until(id: string, done: (item: Item) => boolean): Promise<Item> {
  return vi.waitFor(
    async () => {
      const item = await client.fetchItem(id)
      if (!done(item)) throw new Error(`item ${id} did not reach the expected state; still ${item.status}/${item.executionStatus}`)
      return item
    },
    { timeout: 20_000, interval: 50 },
  )
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

describe('pluggy-sdk and Open Finance', () => {
  it('createItem with oauthRedirectUri → WAITING_USER_ACTION; fetchConsents and fetchConsent answer the declared Consent shape', async () => {
    const created = await client.createItem(8, { cpf: '12345678909' }, { oauthRedirectUri: 'https://app.example.com/back' })
    const waiting = await until(created.id, (item) => item.status === 'WAITING_USER_ACTION')
    expect(waiting.executionStatus).toBe('WAITING_USER_ACTION')
    expect(waiting.connector.oauth).toBe(true)
    expect(waiting.userAction?.attributes?.url).toMatch(/\/sandbox\/open-finance\/authorize\?/)
    await visitBank(waiting.userAction!.attributes!.url, { user: 'user-consent-days-90', decision: 'approve' })
    const done = await until(created.id, (item) => item.status === 'UPDATED')
    expect(done.consentExpiresAt).not.toBeNull()

    const consents = await client.fetchConsents(created.id)
    expectTypeOf(consents.results).toEqualTypeOf<Consent[]>()
    expect(consents).toMatchObject({ page: 1, total: 1, totalPages: 1 })
    const [consent] = consents.results
    expect(Object.keys(consent).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'itemId', 'openFinancePermissionsGranted', 'products', 'revokedAt'])
    expect(consent.itemId).toBe(created.id)
    expect(consent.products.length).toBeGreaterThan(0)
    expect(consent.openFinancePermissionsGranted).toContain('ACCOUNTS_READ')
    expect(consent.createdAt).toBeInstanceOf(Date)
    expect(consent.expiresAt).toBeInstanceOf(Date)
    expect(new Date(consent.expiresAt!).toISOString()).toMatch(ISO)
    expect(new Date(consent.expiresAt!).getTime()).toBe(new Date(done.consentExpiresAt!).getTime())
    expect(consent.revokedAt).toBeNull()

    expect(await client.fetchConsent(consent.id)).toEqual(consent)
    await expect(client.fetchConsent('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ codeDescription: 'CONSENT_NOT_FOUND' })
  })
})
