import { once } from 'node:events'
import http from 'node:http'
import pino from 'pino'
import { loadConfig } from '../src/config.ts'
import { itemEvent } from '../src/events/item-events.ts'
import { startTributary } from '../src/main.ts'
import { withTransaction } from '../src/store/database.ts'
import { insertEvents } from '../src/store/events.ts'
import { BENCH_CLIENT, BENCH_ENCRYPTION_KEY, freshDatabaseUrl } from './bench-database.ts'
import { percentile, row, type BenchRow } from './report.ts'

/**
 * Webhook delivery to a local receiver answering 200 at once: deliveries per second when a
 * backlog is written at once, and the latency from the commit of the state change to the
 * receiver getting the request at a steady offered load.
 */
export async function benchWebhookDelivery(options: { quick: boolean; databaseUrl?: string }): Promise<BenchRow[]> {
  const received = new Map<string, number>()
  const receiver = http.createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => (body += chunk))
    request.on('end', () => {
      received.set(JSON.parse(body).eventId, performance.now())
      response.writeHead(200).end()
    })
  })
  receiver.listen(0, '127.0.0.1')
  await once(receiver, 'listening')
  const port = (receiver.address() as { port: number }).port
  const mode = options.databaseUrl ? 'postgres' : 'embedded'
  const database = await freshDatabaseUrl(options.databaseUrl)
  const config = loadConfig({
    TRIBUTARY_DATA_DIR: ':memory:',
    ...(database.url ? { DATABASE_URL: database.url, TRIBUTARY_ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY } : {}),
    TRIBUTARY_CLIENT_ID: BENCH_CLIENT.clientId,
    TRIBUTARY_CLIENT_SECRET: BENCH_CLIENT.clientSecret,
    TRIBUTARY_WORKER_CONCURRENCY: '50',
    LOG_LEVEL: 'silent',
  })
  const tributary = await startTributary(config, { listen: false, logger: pino({ level: 'silent' }) })
  const rows: BenchRow[] = []
  try {
    const apiKey = (await tributary.app!.inject({ method: 'POST', url: '/auth', payload: BENCH_CLIENT })).json().apiKey
    await tributary.app!.inject({ method: 'POST', url: '/webhooks', headers: { 'x-api-key': apiKey }, payload: { event: 'all', url: `http://127.0.0.1:${port}/hook` } })
    const items = Array.from({ length: 200 }, (_, i) => ({ id: crypto.randomUUID(), clientId: BENCH_CLIENT.clientId, clientUserId: `user-${i}`, webhookUrl: null }))
    const write = async (count: number) => {
      const events = Array.from({ length: count }, (_, i) => itemEvent('item/updated', items[i % items.length], 'SYNC', new Date()))
      await withTransaction(tributary.db.pool, (tx) => insertEvents(tx, events))
      return events.map((e) => e.id)
    }
    const waitFor = async (ids: string[], timeoutMs: number) => {
      const deadline = performance.now() + timeoutMs
      while (ids.some((id) => !received.has(id)) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5))
      return ids.filter((id) => received.has(id)).length
    }

    // Throughput: a backlog written in one go, drained by the workers.
    const backlog = options.quick ? 2_000 : 6_000
    const started = performance.now()
    const ids: string[] = []
    for (let i = 0; i < backlog; i += 500) ids.push(...(await write(Math.min(500, backlog - i))))
    const delivered = await waitFor(ids, 120_000)
    const perSecond = (delivered / (performance.now() - started)) * 1000
    rows.push(row(`webhooks: deliveries/s, backlog of ${backlog} (${mode})`, perSecond, 'deliveries/s', { goal: '>= 1000', pass: perSecond >= 1000 && delivered === backlog }))

    // Latency at a steady 500 events/s: 10 events every 20 ms, each batch one committed transaction.
    const seconds = options.quick ? 4 : 10
    const committedAt = new Map<string, number>()
    const ticks = (seconds * 1000) / 20
    for (let tick = 0; tick < ticks; tick++) {
      const tickStart = performance.now()
      const batch = await write(10)
      const at = performance.now()
      for (const id of batch) committedAt.set(id, at)
      const left = 20 - (performance.now() - tickStart)
      if (left > 0) await new Promise((r) => setTimeout(r, left))
    }
    await waitFor([...committedAt.keys()], 60_000)
    const latencies = [...committedAt]
      .filter(([id]) => received.has(id))
      .map(([id, at]) => received.get(id)! - at)
      .sort((a, b) => a - b)
    const p99 = percentile(latencies, 99)
    rows.push(row(`webhooks: commit→receiver p50 at 500 events/s (${mode})`, percentile(latencies, 50), 'ms'))
    rows.push(row(`webhooks: commit→receiver p99 at 500 events/s (${mode})`, p99, 'ms', { goal: '< 250', pass: p99 < 250 && latencies.length === committedAt.size }))
  } finally {
    await tributary.stop()
    await database.drop()
    receiver.close()
  }
  return rows
}
