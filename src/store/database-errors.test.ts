import { describe, expect, it } from 'vitest'
import { DatabaseUnavailable, isConnectionError, untilDatabaseAnswers } from './database-errors.ts'

describe('isConnectionError', () => {
  it('tells a database out of reach from a statement it refused', () => {
    expect(isConnectionError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true)
    expect(isConnectionError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true)
    expect(isConnectionError(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true)
    expect(isConnectionError(new Error('Connection terminated unexpectedly'))).toBe(true)
    expect(isConnectionError(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: '08006' }) }))).toBe(true)
    expect(isConnectionError(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe(false)
    expect(isConnectionError(new Error('the connector returned two accounts'))).toBe(false)
    expect(isConnectionError(null)).toBe(false)
  })

  it('counts a statement rolled back by a deadlock or a serialization failure as worth running again', () => {
    expect(isConnectionError(Object.assign(new Error('deadlock detected'), { code: '40P01' }))).toBe(true)
    expect(isConnectionError(Object.assign(new Error('could not serialize access due to concurrent update'), { code: '40001' }))).toBe(true)
  })
})

describe('untilDatabaseAnswers', () => {
  it('retries while the database is away and returns once it answers', async () => {
    let calls = 0
    const retries: number[] = []
    const result = await untilDatabaseAnswers(
      async () => {
        if (++calls < 2) throw Object.assign(new Error('down'), { code: 'ECONNREFUSED' })
        return 'saved'
      },
      { windowMs: 10_000, onRetry: (_e, waited) => retries.push(waited) },
    )
    expect(result).toBe('saved')
    expect(calls).toBe(2)
    expect(retries).toHaveLength(1)
  })

  it('throws a refusal at once, and gives up after the window', async () => {
    let calls = 0
    await expect(
      untilDatabaseAnswers(
        async () => {
          calls++
          throw Object.assign(new Error('violates'), { code: '23505' })
        },
        { windowMs: 10_000 },
      ),
    ).rejects.toThrow('violates')
    expect(calls).toBe(1)
    await expect(
      untilDatabaseAnswers(
        async () => {
          throw Object.assign(new Error('down'), { code: 'ECONNREFUSED' })
        },
        { windowMs: 0 },
      ),
    ).rejects.toBeInstanceOf(DatabaseUnavailable)
  })
})
