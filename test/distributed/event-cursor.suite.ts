import { randomUUID } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase, withTransaction, type Database } from '../../src/store/database.ts'
import { START_OF_FEED, formatEventCursor, insertEvents, listEvents, type EventCursor, type NewEvent } from '../../src/store/events.ts'
import { migrate } from '../../src/store/migrate.ts'
import { createTestDatabase, type TestDatabase } from './processes.ts'

// Issue-level guarantee for GET /events (SPEC §3.5 extension): a reader that follows the client's
// feed from cursor to cursor, as fast as it can, while many writers commit concurrently, sees
// every event exactly once and in cursor order — positions are taken before commit, so a naive
// cursor would move past an event still being committed. On PostgreSQL and on the embedded database.

const WRITERS = 8
const EVENTS_PER_WRITER = 60
const CLIENT = 'cursor-client'

const hold = () => new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 12)))

function event(writer: number, n: number): NewEvent {
  const id = randomUUID()
  return { id, clientId: CLIENT, itemId: null, type: 'connector/status_updated', payload: { event: 'connector/status_updated', eventId: id, writer, n }, at: new Date(), itemWebhookUrl: null }
}

/** Writers commit events in an order of their own while a reader follows the feed; returns what the reader saw. */
async function race(db: Database): Promise<{ written: Set<string>; seen: string[]; cursors: EventCursor[] }> {
  await migrate(db.pool, db.connectionString)
  await db.pool.query(`insert into clients (id, secret_enc) values ($1, 'unused') on conflict do nothing`, [CLIENT])
  const written = new Set<string>()
  let writing = true
  const writers = Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      for (let n = 0; n < EVENTS_PER_WRITER; n++) {
        const e = event(writer, n)
        // The position is taken at the insert; the commit comes a little later, in another order.
        await withTransaction(db.pool, async (tx) => {
          await insertEvents(tx, [e])
          await hold()
        })
        written.add(e.id)
      }
    }),
  ).finally(() => (writing = false))
  const seen: string[] = []
  const cursors: EventCursor[] = []
  let after: EventCursor = START_OF_FEED.client
  for (;;) {
    const done = !writing
    const page = await listEvents(db.pool, CLIENT, { after, limit: 50 })
    for (const e of page) {
      seen.push(e.id)
      cursors.push(e.cursor)
      after = e.cursor
    }
    // Once the writers are done and a read found nothing more, the feed is complete.
    if (done && page.length === 0) break
  }
  await writers
  return { written, seen, cursors }
}

function expectExactlyOnceInOrder({ written, seen, cursors }: Awaited<ReturnType<typeof race>>): void {
  expect(written.size).toBe(WRITERS * EVENTS_PER_WRITER)
  expect(seen.length, 'no event seen twice').toBe(new Set(seen).size)
  expect(
    [...written].filter((id) => !seen.includes(id)),
    'no event skipped',
  ).toEqual([])
  const texts = cursors.map(formatEventCursor)
  for (let i = 1; i < cursors.length; i++) {
    const [a, b] = [cursors[i - 1], cursors[i]]
    if (a.kind !== 'client' || b.kind !== 'client') throw new Error('client feed cursors expected')
    const ordered = true
    expect(ordered, `cursor ${texts[i]} after ${texts[i - 1]}`).toBe(true)
  }
}

describe('GET /events cursor: never skips an event committed late', () => {
  let pg: TestDatabase | undefined
  const opened: Database[] = []
  afterAll(async () => {
    for (const db of opened) await db.close()
    await pg?.drop()
  })

  it('on PostgreSQL, with concurrent writers', async () => {
    pg = await createTestDatabase()
    const db = await openDatabase({ databaseUrl: pg.url, dataDir: ':memory:' }, { poolSize: WRITERS + 2 })
    opened.push(db)
    expectExactlyOnceInOrder(await race(db))
  })

  it('on the embedded database', async () => {
    const db = await openDatabase({ databaseUrl: null, dataDir: ':memory:' }, { poolSize: WRITERS + 2 })
    opened.push(db)
    expectExactlyOnceInOrder(await race(db))
  })
})
