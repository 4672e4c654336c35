import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { defineConnector } from '../src/connectors/sdk/index.ts'
import { startTestEngine, timeline, type TestEngine } from './support/harness.ts'

// The wait at the institution's page is durable: when the process stops while the user is at the
// institution, the next worker keeps waiting on the same authorization (same URL, same expiry), and
// the user's return finishes the execution there.

const dir = mkdtempSync(path.join(os.tmpdir(), 'tributary-of-takeover-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The codes the connector was given back, across both engines. */
const codes: string[] = []

const BANK = defineConnector({
  id: 9201,
  name: 'Takeover Open Finance Bank',
  type: 'PERSONAL_BANK',
  country: 'BR',
  oauth: true,
  hasMFA: false,
  credentials: [{ name: 'cpf', label: 'CPF', type: 'number' }],
  products: ['ACCOUNTS'],
  async login(ctx) {
    const back = await ctx.requestUserAuthorization({ buildUrl: (p) => `https://takeover-bank.invalid/authorize?state=${p.state}` })
    codes.push(back.params.code)
  },
  async fetchAccounts() {
    return [{ providerId: 'acc-1', type: 'BANK', subtype: 'CHECKING_ACCOUNT', number: '1', name: 'Conta', balance: 1, currencyCode: 'BRL' }]
  },
})

const engineOn = async (): Promise<{ engine: TestEngine; apiKey: string }> => {
  const engine = await startTestEngine({ TRIBUTARY_DATA_DIR: dir }, { connectors: [BANK] })
  return { engine, apiKey: await engine.apiKey() }
}
const itemOf = async (engine: TestEngine, apiKey: string, id: string) => (await engine.request('GET', `/items/${id}`, { apiKey })).body

describe('Open Finance: a takeover while the user is at the institution', () => {
  it('keeps waiting on the same authorization, and the return finishes the execution on the next worker', async () => {
    const first = await engineOn()
    const created = await first.engine.createItem(first.apiKey, { connectorId: BANK.id, parameters: { cpf: '12345678909' } })
    const waiting = await first.engine.waitForItem(first.apiKey, created.id, (item) => item.status === 'WAITING_USER_ACTION')
    await first.engine.stop()

    const second = await engineOn()
    try {
      const still = await itemOf(second.engine, second.apiKey, created.id)
      expect([still.status, still.userAction]).toEqual(['WAITING_USER_ACTION', waiting.userAction])
      const state = new URL(waiting.userAction.attributes.url).searchParams.get('state')!
      const back = await second.engine.request('GET', `/oauth/callback?state=${encodeURIComponent(state)}&code=after-takeover`)
      expect(back.status).toBe(200)
      await vi.waitFor(async () => expect((await itemOf(second.engine, second.apiKey, created.id)).executionStatus).toBe('SUCCESS'), { timeout: 30_000, interval: 25 })
      expect(codes).toEqual(['after-takeover'])
      const [execution] = await second.engine.executions(second.apiKey, created.id)
      expect(timeline(execution)).toEqual(['CREATED', 'LOGIN_IN_PROGRESS', 'WAITING_USER_ACTION', 'LOGIN_MFA_IN_PROGRESS', 'ACCOUNTS_IN_PROGRESS', 'MERGING', 'SUCCESS'])
    } finally {
      await second.engine.stop()
    }
  })
})
