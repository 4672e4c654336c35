import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defineConnector, type ConnectorDefinition } from '../src/connectors/sdk/index.ts'
import type { LifecycleState } from '../src/domain/lifecycle.ts'
import type pg from 'pg'
import { ClaimWriter } from '../src/engine/claim-writer.ts'
import { systemClock } from '../src/time/clock.ts'
import { FinishWriter } from '../src/engine/finish-writer.ts'
import { StepWriter } from '../src/engine/step-writer.ts'
import type { Queryable } from '../src/store/database.ts'
import type { NewEvent } from '../src/store/events.ts'
import type { FinalTransition, StepTransition } from '../src/store/step-transitions.ts'
import { CLIENT, isFinished, startTestEngine, type TestEngine } from './support/harness.ts'

// The ClaimWriter claims many executions in one statement, the StepWriter saves their steps in
// shared statements, the FinishWriter their ends in shared transactions: each change keeps its own guard and its own outcome, and a change the
// database refuses fails only itself.

/** A test institution collecting accounts only, whose login and accounts behave as given. */
function accountsBank(id: number, name: string, behaviour: Pick<ConnectorDefinition, 'login' | 'fetchAccounts'>) {
  return defineConnector({
    id,
    name,
    type: 'PERSONAL_BANK',
    country: 'BR',
    hasMFA: false,
    credentials: [{ name: 'user', label: 'User', type: 'text' }],
    products: ['ACCOUNTS'],
    ...behaviour,
  })
}

/** An institution whose login waits until the execution is stopped: items stay at LOGIN_IN_PROGRESS. */
const WAITING_BANK = accountsBank(1300, 'Waiting Bank', {
  login: (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true })),
  fetchAccounts: async () => [],
})

/** An institution that answers the login at once, then holds the accounts until the test releases them. */
let releaseAccounts: () => void = () => {}
const accountsReleased = new Promise<void>((resolve) => (releaseAccounts = resolve))
const GATED_BANK = accountsBank(1301, 'Gated Bank', {
  login: async () => {},
  fetchAccounts: async () => {
    await accountsReleased
    return []
  },
})

/** An institution that answers the login at once and the accounts after a while. */
const SLOW_BANK = accountsBank(1302, 'Slow Bank', {
  login: async () => {},
  fetchAccounts: async (ctx) => {
    await ctx.sleep(300)
    return []
  },
})

let engine: TestEngine
let apiKey: string
const itemIds: string[] = []

beforeAll(async () => {
  engine = await startTestEngine({ TRIBUTARY_CONNECTOR_CONCURRENCY: '0' }, { connectors: [WAITING_BANK, GATED_BANK, SLOW_BANK] })
  apiKey = await engine.apiKey()
  for (let i = 0; i < 42; i++) itemIds.push((await engine.createItem(apiKey, { connectorId: 1300, parameters: { user: `user-${i}` } })).id)
  for (const id of itemIds) await engine.waitForItem(apiKey, id, (item) => item.executionStatus === 'LOGIN_IN_PROGRESS')
})
afterAll(() => engine?.stop())

/** Counts the statements sent through it. */
function counting(db: Queryable): Queryable & { statements: number } {
  const wrapper = {
    statements: 0,
    query: ((...args: Parameters<Queryable['query']>) => {
      wrapper.statements++
      return (db.query as (...a: unknown[]) => unknown)(...args)
    }) as Queryable['query'],
  }
  return wrapper
}

async function changeTo(itemId: string, executionStatus: 'ACCOUNTS_IN_PROGRESS', events: (executionId: string) => NewEvent[] = () => []): Promise<StepTransition> {
  const item = (await engine.request('GET', `/items/${itemId}`, { apiKey })).body
  const [execution] = await engine.executions(apiKey, itemId)
  const state: LifecycleState = { status: 'UPDATING', executionStatus, error: null, parameter: null, userAction: null, consecutiveFailedLoginAttempts: 0, failedProducts: [] }
  return { itemId, executionId: execution.id, attempt: null, expected: item.executionStatus, state, reached: [{ status: executionStatus, at: new Date() }], events: events(execution.id) }
}

const statusEventOf = (itemId: string, id: string = randomUUID()): NewEvent => ({
  id,
  clientId: CLIENT.clientId,
  itemId,
  type: 'item/status',
  payload: { itemId },
  at: new Date(),
  itemWebhookUrl: null,
})

describe('StepWriter', () => {
  it('saves steps arriving together in one statement, each with its own guard and timeline entry', async () => {
    const db = counting(engine.tributary.db.pool)
    const writer = new StepWriter(db)
    const changes = await Promise.all(itemIds.slice(0, 10).map((id) => changeTo(id, 'ACCOUNTS_IN_PROGRESS', () => [statusEventOf(id)])))
    // One change expects a status its item does not have: its guard fails, and only its own.
    const stale = { ...changes[9], expected: 'MERGING' as const }
    const results = await Promise.all([...changes.slice(0, 9), stale].map((change) => writer.save(change)))

    expect(results).toEqual([...Array(9).fill(true), false])
    expect(db.statements).toBe(1)
    for (const id of itemIds.slice(0, 9)) {
      expect((await engine.request('GET', `/items/${id}`, { apiKey })).body.executionStatus).toBe('ACCOUNTS_IN_PROGRESS')
      const [execution] = await engine.executions(apiKey, id)
      expect(execution.steps.map((s: { status: string }) => s.status)).toEqual(['CREATED', 'LOGIN_IN_PROGRESS', 'ACCOUNTS_IN_PROGRESS'])
      expect(execution.steps[1].finishedAt).toBe(execution.steps[2].startedAt)
    }
    expect((await engine.request('GET', `/items/${itemIds[9]}`, { apiKey })).body.executionStatus).toBe('LOGIN_IN_PROGRESS')
    const { rows } = await engine.tributary.db.pool.query<{ n: number }>(`select count(*)::int as n from events where type = 'item/status' and id = any($1::uuid[])`, [
      changes.flatMap((c) => c.events.map((e) => e.id)),
    ])
    expect(rows[0].n).toBe(9) // the stale change's event was not written
  })

  it('a change the database refuses fails only itself: the others of its statement are saved alone', async () => {
    const db = counting(engine.tributary.db.pool)
    const writer = new StepWriter(db)
    const ids = itemIds.slice(10, 20)
    const changes = await Promise.all(ids.map((id) => changeTo(id, 'ACCOUNTS_IN_PROGRESS', () => [statusEventOf(id)])))
    // The id of an event already in the outbox, on a webhook event: the statement holding it fails on the ids' uniqueness.
    const taken = randomUUID()
    await engine.tributary.db.pool.query(`insert into events (id, client_id, item_id, type, payload, created_at) values ($1, $2, $3, 'item/login_succeeded', '{}', now())`, [
      taken,
      CLIENT.clientId,
      ids[3],
    ])
    const refused = { ...changes[4], events: [{ ...statusEventOf(ids[4], taken), type: 'item/login_succeeded' }] }
    const outcomes = await Promise.allSettled(changes.map((change, i) => writer.save(i === 4 ? refused : change)))

    expect(outcomes.map((o) => o.status)).toEqual(ids.map((_, i) => (i === 4 ? 'rejected' : 'fulfilled')))
    expect(outcomes.filter((o) => o.status === 'fulfilled').map((o) => (o as PromiseFulfilledResult<boolean>).value)).toEqual(Array(9).fill(true))
    expect(db.statements).toBe(1 + ids.length) // the shared statement, then each change alone
    for (const [i, id] of ids.entries()) {
      expect((await engine.request('GET', `/items/${id}`, { apiKey })).body.executionStatus).toBe(i === 4 ? 'LOGIN_IN_PROGRESS' : 'ACCOUNTS_IN_PROGRESS')
    }
  })

  it('several statuses reached since the last write go in one change, each with its own timeline entry and event', async () => {
    const writer = new StepWriter(engine.tributary.db.pool)
    const id = itemIds[27]
    const base = await changeTo(id, 'ACCOUNTS_IN_PROGRESS')
    const t0 = Date.now()
    const reached = (['ACCOUNTS_IN_PROGRESS', 'CREDITCARDS_IN_PROGRESS', 'TRANSACTIONS_IN_PROGRESS'] as const).map((status, i) => ({ status, at: new Date(t0 + i * 10) }))
    const events = reached.map(() => statusEventOf(id))
    const change = { ...base, state: { ...base.state, executionStatus: 'TRANSACTIONS_IN_PROGRESS' as const }, reached, events }

    expect(await writer.save(change)).toBe(true)
    expect((await engine.request('GET', `/items/${id}`, { apiKey })).body.executionStatus).toBe('TRANSACTIONS_IN_PROGRESS')
    const [execution] = await engine.executions(apiKey, id)
    const iso = (i: number) => new Date(t0 + i * 10).toISOString()
    expect(execution.steps.slice(1)).toEqual([
      { status: 'LOGIN_IN_PROGRESS', startedAt: expect.any(String), finishedAt: iso(0) },
      { status: 'ACCOUNTS_IN_PROGRESS', startedAt: iso(0), finishedAt: iso(1) },
      { status: 'CREDITCARDS_IN_PROGRESS', startedAt: iso(1), finishedAt: iso(2) },
      { status: 'TRANSACTIONS_IN_PROGRESS', startedAt: iso(2), finishedAt: null },
    ])
    const { rows } = await engine.tributary.db.pool.query<{ n: number }>(`select count(*)::int as n from events where id = any($1::uuid[])`, [events.map((e) => e.id)])
    expect(rows[0].n).toBe(3)
  })

  it('one step alone is written at once, in one statement', async () => {
    const db = counting(engine.tributary.db.pool)
    const writer = new StepWriter(db)
    expect(await writer.save(await changeTo(itemIds[20], 'ACCOUNTS_IN_PROGRESS'))).toBe(true)
    expect(db.statements).toBe(1)
  })
})

describe('steps written behind the execution', () => {
  it('a step written behind the execution is visible while the institution works on it', async () => {
    const { id } = await engine.createItem(apiKey, { connectorId: 1301, parameters: { user: 'gated' } })
    // The login answered at once: its status and the next one's were reached while a write was under way.
    const waiting = await engine.waitForItem(apiKey, id, (item) => item.executionStatus === 'ACCOUNTS_IN_PROGRESS')
    expect(waiting.status).toBe('UPDATING')
    releaseAccounts()
    const done = await engine.waitForItem(apiKey, id, (item) => item.executionStatus === 'SUCCESS')
    expect(done.status).toBe('UPDATED')
    const [execution] = await engine.executions(apiKey, id)
    expect(execution.steps.map((s: { status: string }) => s.status)).toEqual(['CREATED', 'LOGIN_IN_PROGRESS', 'ACCOUNTS_IN_PROGRESS', 'MERGING', 'SUCCESS'])
  })
})

/** Counts the transactions begun through it. */
function countingPool(pool: pg.Pool): pg.Pool & { transactions: number } {
  const wrapper = {
    transactions: 0,
    connect: () => {
      wrapper.transactions++
      return pool.connect()
    },
  }
  return wrapper as unknown as pg.Pool & { transactions: number }
}

async function finishOf(itemId: string, accounts: unknown[]): Promise<Parameters<FinishWriter['save']>[0]> {
  const item = (await engine.request('GET', `/items/${itemId}`, { apiKey })).body
  const [execution] = await engine.executions(apiKey, itemId)
  const at = new Date()
  const transition: FinalTransition = {
    itemId,
    executionId: execution.id,
    attempt: null,
    expected: item.executionStatus,
    state: { status: 'UPDATED', executionStatus: 'SUCCESS', error: null, parameter: null, userAction: null, consecutiveFailedLoginAttempts: 0, failedProducts: [] },
    at,
    reached: [],
    statusDetail: null,
    lastUpdatedAt: at,
    consecutiveFailedExecutions: 0,
    rejectedCredentialsHash: null,
    lastLoginErrorAt: null,
    deviceTrusted: false,
    followUpAt: null,
    authPendingSince: null,
    authPendingExecutions: 0,
    nextAutoSyncAt: null,
    failedProducts: [],
    warnings: {},
    events: [statusEventOf(itemId)],
  }
  const scope = { itemId, clientId: CLIENT.clientId, at, products: ['ACCOUNTS' as const], failedProducts: [], triggeredBy: 'USER' as const, clientUserId: null, webhookUrl: null }
  return { transition, merge: { scope, collected: { accounts: accounts as never, creditCards: [], transactions: [], investments: [] } } }
}

const account = (providerId: string, balance: unknown = 10) => ({ providerId, type: 'BANK', subtype: 'CHECKING_ACCOUNT', number: '1', name: providerId, balance, currencyCode: 'BRL' })

describe('FinishWriter', () => {
  it('ends executions arriving together in one transaction, merging each one’s data, each with its own guard', async () => {
    const pool = countingPool(engine.tributary.db.pool)
    const writer = new FinishWriter(pool)
    const ids = itemIds.slice(21, 27)
    const finishes = await Promise.all(ids.map((id, i) => finishOf(id, [account(`acc-${i}`)])))
    const stale = { ...finishes[5], transition: { ...finishes[5].transition, expected: 'MERGING' as const } }
    const results = await Promise.all([...finishes.slice(0, 5), stale].map((finish) => writer.save(finish)))

    expect(results).toEqual([true, true, true, true, true, false])
    expect(pool.transactions).toBe(1)
    for (const [i, id] of ids.entries()) {
      const item = (await engine.request('GET', `/items/${id}`, { apiKey })).body
      const accounts = (await engine.request('GET', `/accounts?itemId=${id}`, { apiKey })).body.results
      // The stale one: neither ended nor merged.
      expect([item.executionStatus, accounts.map((a: { name: string }) => a.name)]).toEqual(i < 5 ? ['SUCCESS', [`acc-${i}`]] : ['LOGIN_IN_PROGRESS', []])
    }
  })

  it('an end writes the statuses reached before it that were not saved yet, then the final one', async () => {
    const writer = new FinishWriter(engine.tributary.db.pool)
    const id = itemIds[28]
    const finish = await finishOf(id, [account('acc-28')])
    const t0 = Date.now()
    const reached = (['ACCOUNTS_IN_PROGRESS', 'MERGING'] as const).map((status, i) => ({ status, at: new Date(t0 + i * 10) }))
    const at = new Date(t0 + 20)

    expect(await writer.save({ ...finish, transition: { ...finish.transition, reached, at } })).toBe(true)
    const [execution] = await engine.executions(apiKey, id)
    expect(execution.steps.slice(2).map((s: { status: string; startedAt: string; finishedAt: string }) => [s.status, s.startedAt, s.finishedAt])).toEqual([
      ['ACCOUNTS_IN_PROGRESS', reached[0].at.toISOString(), reached[1].at.toISOString()],
      ['MERGING', reached[1].at.toISOString(), at.toISOString()],
      ['SUCCESS', at.toISOString(), at.toISOString()],
    ])
    expect(execution.steps[1].finishedAt).toBe(reached[0].at.toISOString())
  })

  it('a merge the database refuses fails only its own execution: the others are ended alone', async () => {
    const pool = countingPool(engine.tributary.db.pool)
    const writer = new FinishWriter(pool)
    const ids = itemIds.slice(30, 34)
    const finishes = await Promise.all(ids.map((id, i) => finishOf(id, [account(`acc-${i}`, i === 2 ? 'not a number' : 10)])))
    const outcomes = await Promise.allSettled(finishes.map((finish) => writer.save(finish)))

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled'])
    expect(pool.transactions).toBe(1 + ids.length)
    for (const [i, id] of ids.entries()) {
      const item = (await engine.request('GET', `/items/${id}`, { apiKey })).body
      expect(item.executionStatus).toBe(i === 2 ? 'LOGIN_IN_PROGRESS' : 'SUCCESS')
    }
  })
})

describe('ClaimWriter', () => {
  it('claims executions arriving together in one statement, then reads them and their items in one statement each', async () => {
    const db = counting(engine.tributary.db.pool)
    const ids = itemIds.slice(34, 42)
    const executionIds = await Promise.all(ids.map(async (id) => (await engine.executions(apiKey, id))[0].id as string))
    const claimer = (options: { leaseSeconds: number; connectorLimit: number }) => new ClaimWriter({ db, clock: systemClock, workerId: 'another-worker', ...options })

    // The engine's own worker holds them and heart-beats: gone for another worker.
    const other = claimer({ leaseSeconds: 60, connectorLimit: 0 })
    expect((await Promise.all(executionIds.map((id) => other.save(id)))).map((c) => c.outcome)).toEqual(executionIds.map(() => 'gone'))
    expect(db.statements).toBe(1) // nothing claimed, nothing read

    // A lease in the past makes every heartbeat stale: another worker may take them over. With at
    // most one execution of the connector at once, the oldest is claimed and the others are busy.
    db.statements = 0
    const limited = claimer({ leaseSeconds: -3600, connectorLimit: 1 })
    expect((await Promise.all(executionIds.map((id) => limited.save(id)))).map((c) => c.outcome)).toEqual(['claimed', ...executionIds.slice(1).map(() => 'busy')])
    expect(db.statements).toBe(3)

    // Without the limit, all at once (the first again: a worker may claim what it holds).
    db.statements = 0
    const takeover = claimer({ leaseSeconds: -3600, connectorLimit: 0 })
    const claims = await Promise.all(executionIds.map((id) => takeover.save(id)))
    claims.forEach((claim, i) => expect(claim).toMatchObject({ outcome: 'claimed', execution: { id: executionIds[i], workerId: 'another-worker' }, item: { id: ids[i] } }))
    expect(db.statements).toBe(3)
  })
})

describe('a step the database refuses', () => {
  it('ends the execution as ERROR, saying so, with the statuses it reached in its timeline', async () => {
    const db = engine.tributary.db.pool
    // Refuses, for one item, every step after the login (the end's write is let through).
    await db.query(`create function refuse_product_steps() returns trigger language plpgsql as $$
      begin
        if new.client_user_id = 'refused-steps' and new.execution_status like '%_IN_PROGRESS' and new.execution_status <> 'LOGIN_IN_PROGRESS' then
          raise exception 'step refused by the test';
        end if;
        return new;
      end $$`)
    await db.query(`create trigger refuse_product_steps before update on items for each row execute function refuse_product_steps()`)
    try {
      const { id } = await engine.createItem(apiKey, { connectorId: 1302, parameters: { user: 'slow' }, clientUserId: 'refused-steps' })
      const item = await engine.waitForItem(apiKey, id, isFinished)
      expect([item.status, item.executionStatus, item.error.code]).toEqual(['OUTDATED', 'ERROR', 'UNEXPECTED_ERROR'])
      expect(item.error.message).toBe('The progress of the execution could not be saved. Try again later.')
      const [execution] = await engine.executions(apiKey, id)
      expect(execution.steps.map((s: { status: string }) => s.status)).toEqual(['CREATED', 'LOGIN_IN_PROGRESS', 'ACCOUNTS_IN_PROGRESS', 'ERROR'])
    } finally {
      await db.query('drop trigger refuse_product_steps on items')
    }
  })
})
