import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, withTransaction, type Database } from './database.ts'

let db: Database
beforeAll(async () => {
  db = await openDatabase({ databaseUrl: null, dataDir: ':memory:' }, { poolSize: 10 })
})
afterAll(() => db?.close())

describe('the embedded database under concurrent connections', () => {
  it('never binds one connection’s parameters to another connection’s statement', async () => {
    // What the engine does: transactions of several statements with array parameters, while
    // other connections run reads with text parameters. Interleaved Parse/Bind messages fail
    // ("malformed array literal") or answer one query with another's result.
    await db.pool.query('create table if not exists rows_a (id int primary key, tags text[])')
    const writers = Array.from({ length: 40 }, (_, i) =>
      withTransaction(db.pool, async (tx) => {
        await tx.query('insert into rows_a (id, tags) values ($1, $2::text[]) on conflict (id) do update set tags = excluded.tags', [i, [`t${i}`, 'x']])
        const { rows } = await tx.query<{ tags: string[] }>('select tags from rows_a where id = any($1::int[])', [[i]])
        expect(rows[0].tags).toEqual([`t${i}`, 'x'])
      }),
    )
    const readers = Array.from({ length: 200 }, (_, i) => db.pool.query<{ v: string }>('select $1::text || $2::text as v', [`r${i}`, '!']).then((r) => expect(r.rows[0].v).toBe(`r${i}!`)))
    await Promise.all([...writers, ...readers])
  })

  it('keeps answering after a failing statement, and transactions stay isolated from each other', async () => {
    await expect(db.pool.query('select $1::int', ['not a number'])).rejects.toThrow()
    await db.pool.query('create table if not exists counter (id int primary key, n int not null)')
    await db.pool.query('insert into counter values (1, 0) on conflict (id) do update set n = 0')
    await Promise.all(
      Array.from({ length: 25 }, () =>
        withTransaction(db.pool, async (tx) => {
          const { rows } = await tx.query<{ n: number }>('select n from counter where id = $1 for update', [1])
          await tx.query('update counter set n = $2 where id = $1', [1, rows[0].n + 1])
        }),
      ),
    )
    const { rows } = await db.pool.query<{ n: number }>('select n from counter where id = 1')
    expect(rows[0].n).toBe(25)
  })
})
