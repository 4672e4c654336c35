import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { loadConfig } from '../src/config.ts'
import { OTHER_CLIENT } from './support/harness.ts'
import { startSandboxEngine, type SandboxEngine } from './support/sandbox-engine.ts'

// Custom sandbox users (docs/sandbox.md) over real HTTP with the pluggy-sdk client: a JSON
// document registered through the API (for one client) or read from TRIBUTARY_SANDBOX_USERS_FILE
// (for every client), used by logging in with its user name on a sandbox connector.

const dir = mkdtempSync(path.join(os.tmpdir(), 'tributary-sandbox-users-'))
const usersFile = path.join(dir, 'users.json')
let engine: SandboxEngine

const ALICE = {
  user: 'alice',
  password: 'alice-secret',
  outcomes: ['SUCCESS', 'ACCOUNT_LOCKED'],
  accounts: [
    {
      name: 'Conta Alice',
      balance: 1234.56,
      transactions: [
        { date: '2026-11-02', description: 'Salário', amount: 5000 },
        { date: '2026-11-03', description: 'Mercado', amount: -250.4, status: 'PENDING' },
      ],
    },
    { type: 'CREDIT', name: 'Cartão Alice', balance: 800, transactions: [{ id: 'card-1', date: '2026-11-04', description: 'Livraria', amount: 89.9 }] },
  ],
  investments: [{ name: 'CDB Alice', type: 'FIXED_INCOME', balance: 10_000 }],
  identity: { fullName: 'Alice Souza', document: '12345678909', emails: ['alice@example.com'] },
}

beforeAll(async () => {
  writeFileSync(usersFile, JSON.stringify([{ user: 'bob', accounts: [{ name: 'Conta Bob', balance: 42 }] }]))
  engine = await startSandboxEngine({ env: { TRIBUTARY_SANDBOX_USERS_FILE: usersFile } })
})

afterAll(async () => {
  await engine?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('custom sandbox users', () => {
  it('registers a user whose accounts, transactions, investments, identity and outcome per execution an item logged in as it gets', async () => {
    const { client, control, connected, resync } = engine
    const registered = await control('POST', '/sandbox/users', ALICE)
    expect(registered.status).toBe(200)
    expect(registered.body).toMatchObject({ source: 'client', user: 'alice', created: true, outcomes: ['SUCCESS', 'ACCOUNT_LOCKED'] })
    expect(registered.body.password).toBeUndefined()
    expect(registered.body.passwordSha256).toBeUndefined()

    const item = await connected({ user: 'alice', password: 'alice-secret' })
    expect(item.executionStatus).toBe('SUCCESS')
    const accounts = (await client.fetchAccounts(item.id)).results
    expect(accounts.map((a) => [a.type, a.name, a.balance])).toEqual([
      ['BANK', 'Conta Alice', 1234.56],
      ['CREDIT', 'Cartão Alice', 800],
    ])
    const bank = accounts.find((a) => a.type === 'BANK')!
    const transactions = (await client.fetchTransactions(bank.id)).results
    expect(transactions.map((t) => [t.description, t.amount, t.status, t.type])).toEqual([
      ['Mercado', -250.4, 'PENDING', 'DEBIT'],
      ['Salário', 5000, 'POSTED', 'CREDIT'],
    ])
    const card = accounts.find((a) => a.type === 'CREDIT')!
    expect((await client.fetchTransactions(card.id)).results.map((t) => [t.providerId, t.type])).toEqual([['card-1', 'DEBIT']])
    expect((await client.fetchInvestments(item.id)).results.map((i) => [i.name, i.type, i.balance])).toEqual([['CDB Alice', 'FIXED_INCOME', 10_000]])
    expect(await client.fetchIdentityByItemId(item.id)).toMatchObject({ fullName: 'Alice Souza', document: '12345678909' })

    // Its second execution ends as the document says.
    expect(await resync(item.id)).toMatchObject({ status: 'LOGIN_ERROR', executionStatus: 'ACCOUNT_LOCKED' })
    expect((await connected({ user: 'alice', password: 'password-ok' })).executionStatus).toBe('INVALID_CREDENTIALS')
  })

  it('keeps a client’s users to itself, and shares the file’s users with every client', async () => {
    const { control, connected } = engine
    await control('POST', '/sandbox/users', ALICE)
    const theirs = await control('POST', '/items', { connectorId: 0, parameters: { user: 'alice', password: 'alice-secret' } }, OTHER_CLIENT)
    expect((await control('GET', `/sandbox/users/alice`, undefined, OTHER_CLIENT)).body.codeDescription).toBe('SANDBOX_USER_NOT_FOUND')
    const bob = await connected({ user: 'bob', password: 'password-ok' })
    expect(bob.executionStatus).toBe('SUCCESS')
    const listed = await control('GET', '/sandbox/users', undefined, OTHER_CLIENT)
    expect(listed.body.results.map((u: any) => [u.source, u.user])).toEqual([['file', 'bob']])
    expect((await control('DELETE', '/sandbox/users/bob')).body.codeDescription).toBe('SANDBOX_USER_NOT_FOUND')
    // Another client's item logging in as alice meets no such user: an unknown user name.
    await vi.waitFor(
      async () => expect((await control('GET', `/items/${theirs.body.id}`, undefined, OTHER_CLIENT)).body).toMatchObject({ status: 'LOGIN_ERROR', executionStatus: 'INVALID_CREDENTIALS' }),
      { timeout: 20_000, interval: 20 },
    )
  })

  it('refuses a bad document with one detail per bad field', async () => {
    const bad = await engine.control('POST', '/sandbox/users', {
      user: 'user-ok',
      outcomes: ['DONE'],
      accounts: [{ name: '', balance: 'lots', transactions: [{ date: '02/11/2026', description: 'x', amount: 0 }] }],
    })
    expect(bad.status).toBe(400)
    expect(bad.body.codeDescription).toBe('VALIDATION_ERROR')
    expect(bad.body.details.map((d: any) => d.parameter).sort()).toEqual(
      ['body.accounts.0.balance', 'body.accounts.0.name', 'body.accounts.0.transactions.0.amount', 'body.accounts.0.transactions.0.date', 'body.outcomes.0', 'body.user'].sort(),
    )
  })

  it('stops the start with one line naming TRIBUTARY_SANDBOX_USERS_FILE when the file is bad', () => {
    const broken = path.join(dir, 'broken.json')
    writeFileSync(broken, JSON.stringify({ user: 'carol', accounts: [{ name: 'Conta', balance: 'x' }] }))
    expect(() => loadConfig({ TRIBUTARY_SANDBOX_USERS_FILE: broken })).toThrow(/^TRIBUTARY_SANDBOX_USERS_FILE: .*broken\.json: accounts\.0\.balance: /)
    expect(() => loadConfig({ TRIBUTARY_SANDBOX_USERS_FILE: path.join(dir, 'missing.json') })).toThrow(/^TRIBUTARY_SANDBOX_USERS_FILE: cannot read .*ENOENT/)
    expect(loadConfig({ TRIBUTARY_SANDBOX_USERS_FILE: usersFile }).sandboxUsers.map((u) => u.user)).toEqual(['bob'])
  })
})
