import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/store/database.ts'
import { createTestDatabase, type TestDatabase } from './processes.ts'

// On PostgreSQL a connection prepares each statement with parameters once, named after its text
// (docs/operations.md); TRIBUTARY_DATABASE_PREPARED_STATEMENTS=false turns that off for poolers
// that cannot keep prepared statements.

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database?.drop())

async function preparedAfterTwoRuns(preparedStatements: boolean): Promise<{ names: string[]; answers: number[] }> {
  const db = await openDatabase({ databaseUrl: database.url, dataDir: ':memory:', preparedStatements }, { poolSize: 1 })
  try {
    const answers: number[] = []
    for (const n of [1, 2]) answers.push((await db.pool.query<{ n: number }>('select $1::int + 1 as n', [n])).rows[0].n)
    const { rows } = await db.pool.query<{ name: string }>('select name from pg_prepared_statements order by name')
    return { names: rows.map((r) => r.name), answers }
  } finally {
    await db.close()
  }
}

describe('prepared statements on PostgreSQL', () => {
  it('a statement run twice on one connection is prepared once, under a name from its text', async () => {
    const { names, answers } = await preparedAfterTwoRuns(true)
    expect(answers).toEqual([2, 3])
    expect(names).toHaveLength(1)
    expect(names[0]).toMatch(/^t_/)
  })

  it('TRIBUTARY_DATABASE_PREPARED_STATEMENTS=false prepares nothing', async () => {
    const { names, answers } = await preparedAfterTwoRuns(false)
    expect(answers).toEqual([2, 3])
    expect(names).toEqual([])
  })
})
