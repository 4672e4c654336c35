import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { idempotencyDecision } from '../../domain/payments/idempotency.ts'
import { openDatabase, withTransaction, type Database } from '../database.ts'
import { migrate } from '../migrate.ts'
import { claimIdempotencyKey, findIdempotencyKey } from './idempotency-keys.ts'
import { deletePaymentCustomer, findPaymentCustomer, insertPaymentCustomer, listPaymentCustomers, listPaymentInstitutions, updatePaymentCustomer } from './payment-parties.ts'
import {
  deletePaymentRecipient,
  findDefaultPaymentRecipient,
  findPaymentRecipient,
  insertPaymentRecipient,
  listPaymentRecipients,
  updatePaymentRecipient,
  type RecipientFields,
} from './payment-recipients.ts'
import { insertPaymentRequest } from './payment-requests.ts'
import { findSmartAccount, insertSmartAccount, moveSmartAccountFunds } from './smart-accounts.ts'

// The payment parties' store against the embedded database: every read scoped to its client,
// the default recipient handed over in one statement, balances that never go negative, and
// idempotency keys claimed once.

let db: Database
const A = 'payments-a'
const B = 'payments-b'
const AT = new Date('2026-03-02T12:00:00.000Z')
const ITAU = '0f3c1a52-7d0e-4c39-9a1e-000000000002'

beforeAll(async () => {
  db = await openDatabase({ databaseUrl: null, dataDir: ':memory:' }, { poolSize: 10 })
  await migrate(db.pool, db.connectionString)
  await db.pool.query(`insert into clients (id, secret_enc) values ($1, 'unused'), ($2, 'unused')`, [A, B])
})
afterAll(() => db?.close())

function recipient(overrides: Partial<RecipientFields> = {}): RecipientFields & { id: string; clientId: string; at: Date } {
  return {
    id: randomUUID(),
    clientId: A,
    name: 'Loja Exemplo Ltda',
    taxNumber: '11222333000181',
    isDefault: false,
    paymentInstitutionId: ITAU,
    account: { type: 'CHECKING_ACCOUNT', number: '123456', branch: '0001' },
    pixKey: null,
    smartAccountId: null,
    at: AT,
    ...overrides,
  }
}

describe('payment institutions', () => {
  it('are seeded, and listed by a part of their name in any case', async () => {
    const all = await listPaymentInstitutions(db.pool, { limit: 100, offset: 0 })
    expect(all.total).toBeGreaterThanOrEqual(10)
    const found = await listPaymentInstitutions(db.pool, { name: 'bradesco', limit: 10, offset: 0 })
    expect(found.rows.map((i) => [i.ispb, i.compe])).toEqual([['60746948', '237']])
  })
})

describe('payment customers', () => {
  it('are created, changed field by field and deleted — by their own client only', async () => {
    const id = randomUUID()
    await insertPaymentCustomer(db.pool, { id, clientId: A, name: 'Maria Silva', email: 'maria@example.com', cpf: '52998224725', cnpj: null, type: 'INDIVIDUAL', at: AT })
    expect(await findPaymentCustomer(db.pool, B, id)).toBeUndefined()
    expect(await updatePaymentCustomer(db.pool, B, id, { name: 'Mallory' }, AT)).toBeUndefined()
    expect(await deletePaymentCustomer(db.pool, B, id)).toBe(false)
    const updated = await updatePaymentCustomer(db.pool, A, id, { email: null, name: 'Maria S. Silva' }, AT)
    expect(updated).toMatchObject({ name: 'Maria S. Silva', email: null, cpf: '52998224725', type: 'INDIVIDUAL' })
    expect((await listPaymentCustomers(db.pool, A, { limit: 10, offset: 0 })).rows.map((c) => c.id)).toContain(id)
    expect((await listPaymentCustomers(db.pool, B, { limit: 10, offset: 0 })).total).toBe(0)
    expect(await deletePaymentCustomer(db.pool, A, id)).toBe(true)
  })
})

describe('payment recipients', () => {
  it('have their institution, and a client’s default passes from one to another in one statement', async () => {
    const first = await insertPaymentRecipient(db.pool, recipient({ isDefault: true }))
    expect(first.paymentInstitution).toMatchObject({ id: ITAU, ispb: '60701190', compe: '341' })
    expect(first.paymentInstitution.createdAt).toBeInstanceOf(Date)
    const second = await insertPaymentRecipient(db.pool, recipient({ isDefault: true, pixKey: { type: 'EMAIL', value: 'loja@example.com' } }))
    expect((await findDefaultPaymentRecipient(db.pool, A))?.id).toBe(second.id)
    expect((await findPaymentRecipient(db.pool, A, first.id))?.isDefault).toBe(false)
    await updatePaymentRecipient(db.pool, A, first.id, { name: 'Loja Renomeada', taxNumber: '11222333000181', isDefault: true }, AT)
    const defaults = (await listPaymentRecipients(db.pool, A, { limit: 100, offset: 0 })).rows.filter((r) => r.isDefault)
    expect(defaults.map((r) => [r.id, r.name])).toEqual([[first.id, 'Loja Renomeada']])
    expect(second.pixKey).toBe('loja@example.com')
  })

  it('of one client are invisible to another, and cannot be deleted while a request names them', async () => {
    const named = await insertPaymentRecipient(db.pool, recipient())
    expect(await findPaymentRecipient(db.pool, B, named.id)).toBeUndefined()
    expect(await deletePaymentRecipient(db.pool, B, named.id)).toBe(false)
    await insertPaymentRequest(db.pool, {
      id: randomUUID(),
      clientId: A,
      kind: 'ONE_OFF',
      status: 'CREATED',
      amountCents: 100,
      description: null,
      recipientId: named.id,
      customerId: null,
      callbackUrls: null,
      schedule: null,
      automaticPix: null,
      schedulerConfiguration: null,
      smartAccountId: null,
      clientPaymentId: null,
      isSandbox: true,
      at: AT,
    })
    expect(await deletePaymentRecipient(db.pool, A, named.id)).toBe(false)
    const unused = await insertPaymentRecipient(db.pool, recipient())
    expect(await deletePaymentRecipient(db.pool, A, unused.id)).toBe(true)
  })

  it('a change that would leave a client two defaults is refused at commit', async () => {
    const inTransaction = withTransaction(db.pool, async (tx) => {
      await tx.query(`update payment_recipients set is_default = true where client_id = $1 and not is_default`, [A])
    })
    await expect(inTransaction).rejects.toThrow(/payment_recipients_one_default/)
  })
})

describe('smart accounts', () => {
  it('never spend more than their balance, whatever the concurrency', async () => {
    const id = randomUUID()
    await insertSmartAccount(db.pool, {
      id,
      clientId: A,
      name: 'Loja',
      taxNumber: '11222333000181',
      email: 'loja@example.com',
      phoneNumber: '+5511912345678',
      agency: '0001',
      number: '1234567',
      verifyingDigit: '8',
      isSandbox: true,
      at: AT,
    })
    expect(await moveSmartAccountFunds(db.pool, A, id, 10_000, AT)).toBe(10_000)
    expect(await moveSmartAccountFunds(db.pool, B, id, 10_000, AT)).toBeUndefined()
    const debits = await Promise.all(Array.from({ length: 10 }, () => moveSmartAccountFunds(db.pool, A, id, -3_000, AT)))
    expect(debits.filter((d) => d !== undefined)).toHaveLength(3)
    expect((await findSmartAccount(db.pool, A, id))?.balanceCents).toBe(1_000)
  })
})

describe('idempotency keys', () => {
  const claim = (clientId: string, key: string, requestHash: string) => ({ clientId, operation: 'createPaymentRequest' as const, key, requestHash, resourceId: randomUUID(), at: AT })

  it('the same key with the same body answers the first resource; with another body, a conflict; per client', async () => {
    const first = claim(A, 'order-1', 'hash-1')
    expect(await claimIdempotencyKey(db.pool, first)).toEqual({ claimed: true })
    const again = await claimIdempotencyKey(db.pool, claim(A, 'order-1', 'hash-1'))
    expect(again.claimed).toBe(false)
    const recorded = again.claimed ? undefined : again.record
    expect(idempotencyDecision(recorded, 'hash-1')).toEqual({ action: 'REPLAY', resourceId: first.resourceId })
    expect(idempotencyDecision(recorded, 'hash-2')).toEqual({ action: 'CONFLICT' })
    expect(await claimIdempotencyKey(db.pool, claim(B, 'order-1', 'hash-1'))).toEqual({ claimed: true })
  })

  it('of two concurrent calls with one key exactly one creates; the other finds its record once it commits', async () => {
    const results = await Promise.all(
      ['hash-x', 'hash-x'].map((hash) =>
        withTransaction(db.pool, async (tx) => {
          const c = claim(A, 'order-concurrent', hash)
          const result = await claimIdempotencyKey(tx, c)
          return { result, resourceId: c.resourceId }
        }),
      ),
    )
    expect(results.filter((r) => r.result.claimed)).toHaveLength(1)
    const winner = results.find((r) => r.result.claimed)!
    const loser = results.find((r) => !r.result.claimed)!
    const record = (!loser.result.claimed && loser.result.record) || (await findIdempotencyKey(db.pool, A, 'createPaymentRequest', 'order-concurrent'))
    expect(idempotencyDecision(record, 'hash-x')).toEqual({ action: 'REPLAY', resourceId: winner.resourceId })
  })

  it('a claim rolled back with its transaction leaves the key free', async () => {
    await expect(
      withTransaction(db.pool, async (tx) => {
        await claimIdempotencyKey(tx, claim(A, 'order-rolled-back', 'hash-1'))
        throw new Error('the resource could not be created')
      }),
    ).rejects.toThrow()
    expect(await findIdempotencyKey(db.pool, A, 'createPaymentRequest', 'order-rolled-back')).toBeUndefined()
  })
})
