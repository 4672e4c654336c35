import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { PluggyClient } from 'pluggy-sdk'
import { afterAll, describe, expect, it } from 'vitest'
import { startTributary, type TributaryFixture } from '../src/testing/index.ts'

/**
 * The `tributary/testing` fixture: engines in the test's process, side by side, each with its own
 * client, database and clock; `settle()` waits until nothing is runnable.
 */

const started: TributaryFixture[] = []
afterAll(() => Promise.all(started.map((t) => t.stop())))

async function start(options: Parameters<typeof startTributary>[0] = {}): Promise<TributaryFixture> {
  const tributary = await startTributary(options)
  started.push(tributary)
  return tributary
}

/** pluggy-sdk reads its server address from PLUGGY_API_URL when a client is constructed. */
function pluggyFor(tributary: TributaryFixture): PluggyClient {
  const previous = process.env.PLUGGY_API_URL
  process.env.PLUGGY_API_URL = tributary.url
  try {
    return new PluggyClient(tributary.credentials)
  } finally {
    if (previous === undefined) delete process.env.PLUGGY_API_URL
    else process.env.PLUGGY_API_URL = previous
  }
}

describe('startTributary()', () => {
  it('runs two engines side by side, each with its own client and data, reached by pluggy-sdk', async () => {
    const [one, two] = await Promise.all([start(), start()])
    expect(one.url).not.toBe(two.url)
    expect(one.credentials.clientId).not.toBe(two.credentials.clientId)
    const [pluggyOne, pluggyTwo] = [pluggyFor(one), pluggyFor(two)]

    const item = await pluggyOne.createItem(0, { user: 'user-ok', password: 'password-ok' })
    await one.clock.settle()
    expect(await pluggyOne.fetchItem(item.id)).toMatchObject({ status: 'UPDATED', executionStatus: 'SUCCESS' })
    expect((await pluggyOne.fetchAccounts(item.id)).results.length).toBeGreaterThan(0)

    // The other engine knows nothing of it, and its own client's key does not open the first.
    await expect(pluggyTwo.fetchItem(item.id)).rejects.toMatchObject({ message: expect.stringMatching(/not found/i) })
    const foreign = await fetch(`${one.url}/items/${item.id}`, { headers: { 'x-api-key': two.apiKey } })
    expect(foreign.status).toBe(401)
  }, 120_000) // two engines start at once, the first ones of the process

  it('moves a manual clock: a day later the auto-sync runs, and settle() waits for it', async () => {
    const tributary = await start({ clock: 'manual' })
    const pluggy = pluggyFor(tributary)
    const item = await pluggy.createItem(0, { user: 'user-ok', password: 'password-ok' })
    await tributary.clock.settle()
    const first = await pluggy.fetchItem(item.id)
    expect(first.status).toBe('UPDATED')

    // A day, spread by up to ±10% per item, and a little more.
    const before = tributary.clock.now().getTime()
    await tributary.clock.advance(27 * 60 * 60 * 1000)
    expect(tributary.clock.now().getTime() - before).toBe(27 * 60 * 60 * 1000)
    await tributary.clock.settle()
    // Keys live in real time: the key from the start and the client's own still work a day later on the engine's clock.
    expect((await pluggy.fetchItem(item.id)).status).toBe('UPDATED')
    const executions = await fetch(`${tributary.url}/items/${item.id}/executions`, { headers: { 'x-api-key': tributary.apiKey } })
    const { results } = (await executions.json()) as { results: { status: string; triggeredBy: string }[] }
    expect(results.map((e) => [e.status, e.triggeredBy])).toEqual([
      ['SUCCESS', 'SYNC'],
      ['SUCCESS', 'CLIENT'],
    ])
  })

  it('settles while an item waits for the user (there is nothing the engine can run)', async () => {
    const tributary = await start()
    const pluggy = pluggyFor(tributary)
    const item = await pluggy.createItem(2, { user: 'user-ok', password: 'password-ok' })
    await tributary.clock.settle()
    expect(await pluggy.fetchItem(item.id)).toMatchObject({ status: 'WAITING_USER_INPUT' })
  })

  it('settles while a webhook waits for a retry the clock has not reached, with the events queued behind it', async () => {
    // A receiver that fails its first request: that delivery waits for a retry, and the item's later events wait behind it.
    const events: string[] = []
    const receiver = http.createServer((request, response) => {
      let raw = ''
      request.on('data', (chunk) => (raw += chunk))
      request.on('end', () => {
        events.push(JSON.parse(raw).event)
        response.writeHead(events.length === 1 ? 500 : 200).end()
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    try {
      const tributary = await start({ clock: 'manual' })
      const pluggy = pluggyFor(tributary)
      await pluggy.createWebhook('all', `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`)
      await pluggy.createItem(0, { user: 'user-ok', password: 'password-ok' })
      await tributary.clock.settle()
      expect(events).toHaveLength(1)

      await tributary.clock.advance(60 * 60 * 1000)
      await tributary.clock.settle()
      // The failed one again, then the rest, in order.
      expect(events.length).toBeGreaterThan(2)
      expect(events[1]).toBe(events[0])
    } finally {
      await new Promise((resolve) => receiver.close(resolve))
    }
  })

  it('refuses to move the system clock, saying how to get a manual one', async () => {
    const tributary = await start()
    await expect(tributary.clock.advance(1000)).rejects.toThrow("startTributary({ clock: 'manual' })")
  })

  it('hands a stopped engine’s database, wiped, to the next engine: nothing of the first remains, and the reference data the migrations seed stays', async () => {
    const first = await startTributary()
    const pluggy = pluggyFor(first)
    const item = await pluggy.createItem(0, { user: 'user-ok', password: 'password-ok' })
    await first.clock.settle()
    const seeded = (await pluggy.payments.fetchPaymentInstitutions({})).total
    expect(seeded).toBeGreaterThan(0)
    // Statistics reach shared memory at most once a second unless asked: ask, so the count below is there.
    await first.engine.db.pool.query('select pg_stat_force_next_flush()')
    await first.stop()

    const second = await start()
    // The same database, handed on: the statistics remember the rows inserted, the tables hold none.
    const counts = await second.engine.db.pool.query<{ items: number; events: number; inserted: number }>(
      `select (select count(*) from items)::int as items, (select count(*) from events)::int as events,
              (select n_tup_ins from pg_stat_user_tables where relname = 'items')::int as inserted`,
    )
    expect(counts.rows[0]).toEqual({ items: 0, events: 0, inserted: 1 })
    const lookup = await fetch(`${second.url}/items/${item.id}`, { headers: { 'x-api-key': second.apiKey } })
    expect(lookup.status).toBe(404)
    expect((await pluggyFor(second).payments.fetchPaymentInstitutions({})).total).toBe(seeded)
  })
})
