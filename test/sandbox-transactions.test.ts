import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startSandboxEngine, type SandboxEngine } from './support/sandbox-engine.ts'
import { WebhookReceiver } from './support/webhook-receiver.ts'

// The sandbox control API's transaction edits (docs/sandbox.md) over real HTTP: the pluggy-sdk
// client creates, updates and reads the item; a real receiver gets the transactions/* events the
// next sync emits for each change made at the institution.

const receiver = new WebhookReceiver()
let engine: SandboxEngine

beforeAll(async () => {
  await receiver.start()
  engine = await startSandboxEngine()
})

afterAll(async () => {
  await engine?.stop()
  await receiver.stop()
})

/** The ids the receiver got in `event` events for `itemId` since `from` received requests. */
function idsIn(hook: string, event: string, from: number): string[] {
  return receiver
    .at(hook)
    .slice(from)
    .filter((r) => r.body.event === event)
    .flatMap((r) => r.body.transactionIds ?? [])
}

describe('transactions of a sandbox account', () => {
  it('adds, changes, posts, restates and removes transactions at the institution; the next sync merges each and reports it', async () => {
    const { client, control, connected, resync } = engine
    const hook = 'transactions'
    await client.createWebhook('all', receiver.url(hook))
    const item = await connected()
    const [checking] = (await client.fetchAccounts(item.id, 'BANK')).results
    const posted = (await client.fetchTransactions(checking.id, { pageSize: 500 })).results.filter((t) => t.status === 'POSTED')
    const [changed, restated, removed] = posted

    const added = await control('POST', `/sandbox/items/${item.id}/transactions`, { accountId: checking.id, description: 'Padaria Pão Quente', amount: -12.5, status: 'PENDING' })
    expect(added.status).toBe(200)
    expect(added.body).toMatchObject({ kind: 'add', itemId: item.id, transactionId: null, providerId: expect.stringMatching(/^sandbox-added-/) })
    const change = await control('PATCH', `/sandbox/items/${item.id}/transactions/${changed.id}`, { amount: -321.09, description: 'Compra corrigida' })
    expect(change.body).toMatchObject({ kind: 'change', transactionId: changed.id, providerId: changed.providerId })
    const restate = await control('POST', `/sandbox/items/${item.id}/transactions/${restated.id}/restate`)
    expect(restate.body).toMatchObject({ kind: 'restate', providerId: restated.providerId, newProviderId: expect.stringContaining(restated.providerId!) })
    expect((await control('DELETE', `/sandbox/items/${item.id}/transactions/${removed.id}`)).body.kind).toBe('remove')

    const seen = receiver.at(hook).length
    expect((await resync(item.id)).executionStatus).toBe('SUCCESS')
    const now = (await client.fetchTransactions(checking.id, { pageSize: 500 })).results
    const fresh = now.find((t) => t.description === 'Padaria Pão Quente')!
    expect(fresh).toMatchObject({ amount: -12.5, status: 'PENDING', type: 'DEBIT', providerId: added.body.providerId })
    expect(await client.fetchTransaction(changed.id)).toMatchObject({ id: changed.id, amount: -321.09, description: 'Compra corrigida' })
    expect(now.some((t) => t.id === removed.id)).toBe(false)
    expect(now.some((t) => t.id === restated.id)).toBe(false)
    const renamed = now.find((t) => t.providerId === restate.body.newProviderId)!
    expect(renamed).toMatchObject({ amount: restated.amount, description: restated.description })

    await vi.waitFor(
      () => {
        expect(idsIn(hook, 'transactions/updated', seen)).toContain(changed.id)
        expect(idsIn(hook, 'transactions/deleted', seen)).toEqual(expect.arrayContaining([removed.id, restated.id]))
        expect(
          receiver
            .at(hook)
            .slice(seen)
            .some((r) => r.body.event === 'transactions/created' && r.body.accountId === checking.id),
        ).toBe(true)
      },
      { timeout: 10_000, interval: 20 },
    )

    // Posting keeps the transaction's id: the next sync updates it.
    const post = await control('POST', `/sandbox/items/${item.id}/transactions/${fresh.id}/post`)
    expect(post.body).toMatchObject({ kind: 'post', transactionId: fresh.id })
    const before = receiver.at(hook).length
    await resync(item.id)
    expect(await client.fetchTransaction(fresh.id)).toMatchObject({ id: fresh.id, status: 'POSTED', description: 'Padaria Pão Quente' })
    await vi.waitFor(() => expect(idsIn(hook, 'transactions/updated', before)).toContain(fresh.id), { timeout: 10_000, interval: 20 })

    const edits = await control('GET', `/sandbox/items/${item.id}/transactions`)
    expect(edits.body.results.map((e: any) => e.kind)).toEqual(['add', 'change', 'restate', 'remove', 'post'])
  })

  it('refuses a transaction or account of another item, and an empty change', async () => {
    const { client, control, connected } = engine
    const mine = await connected()
    const other = await connected()
    const [account] = (await client.fetchAccounts(other.id, 'BANK')).results
    const [transaction] = (await client.fetchTransactions(account.id)).results
    const wrongAccount = await control('POST', `/sandbox/items/${mine.id}/transactions`, { accountId: account.id, description: 'x', amount: 1 })
    expect(wrongAccount).toMatchObject({ status: 404, body: { codeDescription: 'ACCOUNT_NOT_FOUND' } })
    const wrongTransaction = await control('DELETE', `/sandbox/items/${mine.id}/transactions/${transaction.id}`)
    expect(wrongTransaction).toMatchObject({ status: 404, body: { codeDescription: 'TRANSACTION_NOT_FOUND' } })
    const empty = await control('PATCH', `/sandbox/items/${other.id}/transactions/${transaction.id}`, {})
    expect(empty).toMatchObject({ status: 400, body: { codeDescription: 'VALIDATION_ERROR' } })
    const zero = await control('POST', `/sandbox/items/${other.id}/transactions`, { accountId: account.id, description: 'x', amount: 0 })
    expect(zero.body.details[0].parameter).toBe('body.amount')
  })
})
