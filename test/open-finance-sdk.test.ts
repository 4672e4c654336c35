import { createHash, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defineConnector, siteNotAvailable, userAuthorizationRevoked } from '../src/connectors/sdk/index.ts'
import { ConnectorRegistry } from '../src/engine/connector-registry.ts'
import { reencryptSecrets } from '../src/engine/key-rotation.ts'
import { createCipher } from '../src/store/cipher.ts'
import { findItemForEngine } from '../src/store/items.ts'
import { startConnectorTestKit, type ConnectorTestKit } from '../src/testing/index.ts'

// The connector SDK's Open Finance side, through the connector test kit: the URL a connector
// builds from the engine's state, nonce and PKCE pair; the return's parameters and the verifier
// handed back; per-item secrets kept encrypted between executions; consents reported.

/** What the connector saw, per execution, for the test to check. */
const seen: { challenge?: string; verifierMatches?: boolean; nonce?: string; secretsAtStart: unknown }[] = []

const CONNECTOR = defineConnector({
  id: 700,
  name: 'Kit Open Finance Bank',
  type: 'PERSONAL_BANK',
  country: 'BR',
  oauth: true,
  hasMFA: false,
  credentials: [{ name: 'cpf', label: 'CPF', type: 'number' }],
  products: ['ACCOUNTS'],
  async login(ctx) {
    const entry: (typeof seen)[number] = { secretsAtStart: ctx.secrets.get() }
    seen.push(entry)
    const stored = ctx.secrets.get()
    if (stored?.refreshToken === 'revoked') {
      await ctx.secrets.set(null)
      throw userAuthorizationRevoked()
    }
    if (stored) return
    const back = await ctx.requestUserAuthorization({
      instructions: 'Authorize at Kit Bank.',
      buildUrl: (p) => {
        entry.challenge = p.codeChallenge
        entry.nonce = p.nonce
        return `https://kit-bank.invalid/authorize?${new URLSearchParams({ state: p.state, code_challenge: p.codeChallenge, redirect_uri: p.redirectUri })}`
      },
    })
    entry.verifierMatches = createHash('sha256').update(back.codeVerifier).digest('base64url') === entry.challenge && back.nonce === entry.nonce
    // `revoking-code`: an institution that will have revoked the consent by the next sync.
    if (back.params.code !== 'good-code' && back.params.code !== 'revoking-code') throw siteNotAvailable(back.params.error)
    await ctx.secrets.set({ accessToken: 'at-1', refreshToken: back.params.code === 'revoking-code' ? 'revoked' : 'rt-1' })
    await ctx.reportConsent({ externalId: 'kit-1', products: ['ACCOUNTS'], permissions: ['ACCOUNTS_READ'], createdAt: ctx.now(), expiresAt: null })
  },
  async fetchAccounts() {
    return [{ providerId: 'acc-1', type: 'BANK', subtype: 'CHECKING_ACCOUNT', number: '1', name: 'Conta', balance: 10, currencyCode: 'BRL' }]
  },
})

const KEY = randomBytes(32)
let kit: ConnectorTestKit
beforeAll(async () => {
  kit = await startConnectorTestKit({ connectors: CONNECTOR, env: { TRIBUTARY_ENCRYPTION_KEY: KEY.toString('base64') } })
})
afterAll(() => kit?.stop())

const waitingForUser = (item: { status: string }) => item.status === 'WAITING_USER_ACTION'

describe('Open Finance in the connector SDK', () => {
  it('state, nonce and PKCE to build the URL; the return and the verifier back; secrets kept for the next sync without the user', async () => {
    seen.length = 0
    const { itemId } = await kit.connect(700, { cpf: '12345678909' })
    const waiting = await kit.waitForStatus(itemId, waitingForUser)
    const url = new URL(waiting.userAction!.attributes!.url)
    expect(url.searchParams.get('redirect_uri')).toMatch(/\/oauth\/callback$/)
    expect(url.searchParams.get('code_challenge')).toBe(seen[0].challenge)
    expect((await kit.returnFromInstitution(itemId, { code: 'good-code' })).status).toBe(200)
    expect((await kit.waitForFinal(itemId)).executionStatus).toBe('SUCCESS')
    expect(seen[0]).toMatchObject({ verifierMatches: true, secretsAtStart: null })

    // The next sync reads the stored tokens and needs no user.
    await kit.update(itemId)
    expect((await kit.waitForFinal(itemId)).executionStatus).toBe('SUCCESS')
    expect(seen[1].secretsAtStart).toEqual({ accessToken: 'at-1', refreshToken: 'rt-1' })
    expect((await kit.lastExecution(itemId)).timeline).not.toContain('WAITING_USER_ACTION')

    // Secrets never leave the server, nor reach the log.
    expect(JSON.stringify(await kit.item(itemId))).not.toContain('rt-1')
    expect(JSON.stringify(kit.logs())).not.toContain('rt-1')
    const consents = await kit.request('GET', `/consents?itemId=${itemId}`)
    expect(consents.body.results.map((c: any) => c.openFinancePermissionsGranted)).toEqual([['ACCOUNTS_READ']])
  })

  it('a declined authorization ends USER_AUTHORIZATION_NOT_GRANTED without reaching the connector', async () => {
    seen.length = 0
    const { itemId } = await kit.connect(700, { cpf: '12345678909' })
    await kit.waitForStatus(itemId, waitingForUser)
    await kit.returnFromInstitution(itemId, { error: 'access_denied' })
    const done = await kit.waitForFinal(itemId)
    expect([done.status, done.executionStatus]).toEqual(['OUTDATED', 'USER_AUTHORIZATION_NOT_GRANTED'])
    expect(seen[0].verifierMatches).toBeUndefined()
  })

  it('a consent the connector finds revoked ends LOGIN_ERROR / USER_AUTHORIZATION_REVOKED, and the update after it asks the user again', async () => {
    const { itemId } = await kit.connect(700, { cpf: '12345678909' })
    await kit.waitForStatus(itemId, waitingForUser)
    await kit.returnFromInstitution(itemId, { code: 'revoking-code' })
    expect((await kit.waitForFinal(itemId)).status).toBe('UPDATED')
    await kit.update(itemId)
    expect((await kit.waitForFinal(itemId)).executionStatus).toBe('USER_AUTHORIZATION_REVOKED')
    await kit.update(itemId, { cpf: '12345678909' })
    await kit.waitForStatus(itemId, waitingForUser)
  })

  it('key rotation re-encrypts the secrets a connector keeps, which the next sync still reads', async () => {
    seen.length = 0
    const { itemId } = await kit.connect(700, { cpf: '12345678909' })
    await kit.waitForStatus(itemId, waitingForUser)
    await kit.returnFromInstitution(itemId, { code: 'good-code' })
    await kit.waitForFinal(itemId)
    const { db } = kit.tributary
    const before = (await findItemForEngine(db.pool, itemId))!.secretsEnc!
    const rotated = createCipher([randomBytes(32), KEY])
    await reencryptSecrets(db, rotated, new ConnectorRegistry([CONNECTOR]))
    const after = (await findItemForEngine(db.pool, itemId))!.secretsEnc!
    expect(rotated.keyIdOf(before)).not.toBe(rotated.keyId)
    expect(rotated.keyIdOf(after)).toBe(rotated.keyId)
    expect(JSON.parse(rotated.decrypt(after))).toEqual({ accessToken: 'at-1', refreshToken: 'rt-1' })
  })
})
