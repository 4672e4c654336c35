import pino from 'pino'
import { loadConfig } from '../src/config.ts'
import { generateSandboxData } from '../src/connectors/sandbox/sandbox-data.ts'
import { mergeCollected } from '../src/engine/merge.ts'
import { startTributary, type Tributary } from '../src/main.ts'
import { withTransaction } from '../src/store/database.ts'
import { BENCH_CLIENT, BENCH_ENCRYPTION_KEY, freshDatabaseUrl } from './bench-database.ts'
import { row, type BenchRow } from './report.ts'

const DAY_MS = 24 * 60 * 60 * 1000

/** An item with no stored data yet, to merge into. */
async function emptyItem(tributary: Tributary, apiKey: string): Promise<string> {
  const app = tributary.app!
  const item = (
    await app.inject({ method: 'POST', url: '/items', headers: { 'x-api-key': apiKey }, payload: { connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' }, products: ['IDENTITY'] } })
  ).json()
  for (;;) {
    const current = (await app.inject({ method: 'GET', url: `/items/${item.id}`, headers: { 'x-api-key': apiKey } })).json()
    if (current.status !== 'UPDATING') return item.id
    await new Promise((r) => setTimeout(r, 50))
  }
}

/**
 * The MERGING step on ~100,000 transactions: a first execution (everything new) and the next
 * day's (~2% changed), against a plain INSERT … SELECT FROM unnest of the same rows into an
 * empty table; then a full /v2/transactions walk at pageSize 500.
 */
export async function benchMerge(options: { quick: boolean; databaseUrl?: string }): Promise<BenchRow[]> {
  const mode = options.databaseUrl ? 'postgres' : 'embedded'
  const multiplier = options.quick ? 1_000 : 3_700
  const database = await freshDatabaseUrl(options.databaseUrl)
  const tributary = await startTributary(
    loadConfig({
      TRIBUTARY_DATA_DIR: ':memory:',
      ...(database.url ? { DATABASE_URL: database.url, TRIBUTARY_ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY } : {}),
      TRIBUTARY_CLIENT_ID: BENCH_CLIENT.clientId,
      TRIBUTARY_CLIENT_SECRET: BENCH_CLIENT.clientSecret,
      TRIBUTARY_SANDBOX_DELAY_MS: '0',
      LOG_LEVEL: 'silent',
    }),
    { listen: false, logger: pino({ level: 'silent' }) },
  )
  const rows: BenchRow[] = []
  try {
    const app = tributary.app!
    const apiKey = (await app.inject({ method: 'POST', url: '/auth', payload: BENCH_CLIENT })).json().apiKey
    const itemId = await emptyItem(tributary, apiKey)
    const today = new Date()
    const first = generateSandboxData({ user: `user-ok-perf-${multiplier}`, now: today, transactionMultiplier: multiplier })
    const second = generateSandboxData({ user: `user-ok-perf-${multiplier}`, now: new Date(today.getTime() + DAY_MS), transactionMultiplier: multiplier })
    const count = first.transactions.length
    const scope = (at: Date) => ({
      itemId,
      clientId: BENCH_CLIENT.clientId,
      at,
      products: ['ACCOUNTS', 'CREDIT_CARDS', 'TRANSACTIONS'] as const,
      failedProducts: [],
      triggeredBy: 'SYNC' as const,
      clientUserId: null,
      webhookUrl: null,
    })
    const collected = (data: typeof first) => ({ accounts: data.accounts, creditCards: data.creditCards, transactions: data.transactions, investments: [] })

    // Baseline: the same rows, INSERT … SELECT FROM unnest into an empty table, in one transaction.
    // Statements of 2,000 rows (~1 MB), as the merge sends them: one giant message is slow on the
    // embedded socket for reasons unrelated to inserting.
    const pool = tributary.db.pool
    await pool.query(
      `create table bench_baseline (id uuid default gen_random_uuid(), provider_id text, account text, date timestamptz, description text, amount numeric, currency_code text, status text, type text, payload jsonb)`,
    )
    let started = performance.now()
    await withTransaction(pool, async (tx) => {
      for (let i = 0; i < first.transactions.length; i += 2_000) {
        const t = first.transactions.slice(i, i + 2_000)
        await tx.query(
          `insert into bench_baseline (provider_id, account, date, description, amount, currency_code, status, type, payload)
           select * from unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::numeric[], $6::text[], $7::text[], $8::text[], $9::jsonb[])`,
          [
            t.map((x) => x.providerId ?? null),
            t.map((x) => x.accountProviderId),
            t.map((x) => x.date),
            t.map((x) => x.description),
            t.map((x) => x.amount),
            t.map((x) => x.currencyCode),
            t.map((x) => x.status),
            t.map((x) => x.type),
            t.map((x) => JSON.stringify({ paymentData: x.paymentData ?? null, creditCardMetadata: x.creditCardMetadata ?? null, merchant: x.merchant ?? null })),
          ],
        )
      }
    })
    const baselineRate = (count / (performance.now() - started)) * 1000

    started = performance.now()
    const firstResult = await withTransaction(pool, (tx) => mergeCollected(tx, scope(new Date()), collected(first)))
    const firstMs = performance.now() - started
    const firstRate = (count / firstMs) * 1000
    started = performance.now()
    const secondResult = await withTransaction(pool, (tx) => mergeCollected(tx, scope(new Date()), collected(second)))
    const secondMs = performance.now() - started
    const changed = secondResult.transactions.created + secondResult.transactions.updated + secondResult.transactions.deleted

    rows.push(
      row(`merge: first execution, ${count} transactions (${mode}) vs INSERT…unnest`, firstRate, 'transactions/s', {
        baseline: baselineRate,
        ratio: firstRate / baselineRate,
        goal: 'ratio >= 0.5',
        pass: firstRate / baselineRate >= 0.5 && firstResult.transactions.created === count,
      }),
    )
    rows.push(
      row(`merge: next day, ${changed} of ${second.transactions.length} changed (${mode}), time vs first merge`, secondMs, 'ms', {
        baseline: firstMs,
        ratio: secondMs / firstMs,
        goal: 'faster than the first merge',
        pass: secondMs < firstMs,
      }),
    )

    // Reading: every transaction of every account through the cursor endpoint.
    started = performance.now()
    let read = 0
    for (const account of [...first.accounts, ...first.creditCards]) {
      const { results } = (await app.inject({ method: 'GET', url: `/accounts?itemId=${itemId}&pageSize=500`, headers: { 'x-api-key': apiKey } })).json()
      const stored = results.find((a: { number: string; name: string }) => a.number === account.number)
      let next: string | null = `/v2/transactions?accountId=${stored.id}&pageSize=500`
      while (next) {
        const page: { results: unknown[]; next: string | null } = (await app.inject({ method: 'GET', url: next, headers: { 'x-api-key': apiKey } })).json()
        read += page.results.length
        next = page.next
      }
    }
    rows.push(row(`read: /v2/transactions full walk at pageSize 500, ${read} transactions (${mode})`, (read / (performance.now() - started)) * 1000, 'rows/s'))
  } finally {
    await tributary.stop()
    await database.drop()
  }
  return rows
}
